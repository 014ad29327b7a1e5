from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


class Action(models.TextChoices):
    LOGIN = "login", "Signed in"
    LOGOUT = "logout", "Signed out"
    SESSION_EXPIRED = "session_expired", "Session expired"
    LOGIN_FAILED = "login_failed", "Sign-in failed"
    LOCKED_OUT = "locked_out", "Locked out"
    TWO_FACTOR_ENROLLED = "2fa_enrolled", "Two-factor set up"
    TWO_FACTOR_VERIFIED = "2fa_verified", "Two-factor code accepted"
    TWO_FACTOR_FAILED = "2fa_failed", "Two-factor code refused"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", "Recovery codes renewed"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset requested"
    PASSWORD_SET = "password_set", "Password set from emailed link"
    STAFF_CREATED = "staff_created", "Staff account created"
    STAFF_UPDATED = "staff_updated", "Staff account changed"
    ACCOUNT_DEACTIVATED = "account_deactivated", "Account deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated", "Account reactivated"
    CASE_CREATED = "case_created", "Case opened"
    CASE_VIEWED = "case_viewed", "Case viewed"
    CASE_REASSIGNED = "case_reassigned", "Case therapist changed"
    AUDIT_VIEWED = "audit_viewed", "Audit log viewed"
    INVITATION_SENT = "invitation_sent", "Invitation created"
    INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
    INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
    INVITATION_REFUSED = "invitation_refused", "Invitation link refused"
    INTAKE_STARTED = "intake_started", "Intake started"
    INTAKE_SUBMITTED = "intake_submitted", "Intake submitted"
    INTAKE_VIEWED = "intake_viewed", "Intake read"
    SAFE_CONTACT_CHANGED = "safe_contact_changed", "Safe-contact preferences changed"
    CONSENT_TEXT_CHANGED = "consent_text_changed", "Consent text changed"
    QUICK_EXIT = "quick_exit", "Quick exit used"
    INQUIRY_RECEIVED = "inquiry_received", "Inquiry received"
    INQUIRY_VIEWED = "inquiry_viewed", "Inquiry read"
    INQUIRY_CONVERTED = "inquiry_converted", "Inquiry turned into a case"
    INQUIRY_CLOSED = "inquiry_closed", "Inquiry closed"
    SCREENING_ASSIGNED = "screening_assigned", "Questionnaire assigned"
    SCREENING_SUBMITTED = "screening_submitted", "Questionnaire submitted"
    SCREENING_VIEWED = "screening_viewed", "Questionnaire results read"
    COMPARISON_VIEWED = "comparison_viewed", "Couple comparison read"
    FLAG_RAISED = "flag_raised", "Risk flag raised"
    FLAG_ACKNOWLEDGED = "flag_acknowledged", "Risk flag acknowledged"
    FLAG_RESOLVED = "flag_resolved", "Risk flag resolved"
    WARNING_SIGN_RECORDED = "warning_sign_recorded", "Warning sign recorded"
    WARNING_SIGNS_VIEWED = "warning_signs_viewed", "Warning signs read"
    SAFETY_INFO_CHANGED = "safety_info_changed", "Safety page changed"
    SESSION_CREATED = "session_created", "Session added"
    NOTE_VIEWED = "note_viewed", "Session note read"
    NOTE_SAVED = "note_saved", "Session note draft saved"
    NOTE_SIGNED = "note_signed", "Session note signed"
    NOTE_COSIGNED = "note_cosigned", "Session note co-signed"
    NOTE_RETURNED = "note_returned", "Session note returned to author"
    ADDENDUM_ADDED = "addendum_added", "Addendum added"
    PRIVATE_NOTE_SAVED = "private_note_saved", "Private note saved"
    PDF_GENERATED = "pdf_generated", "PDF generated (disclosure)"
    RECORD_EXPORTED = "record_exported", "Record exported (disclosure)"
    CASE_DISCHARGED = "case_discharged", "Case closed (discharge)"
    CASE_REOPENED = "case_reopened", "Case reopened"
    RETENTION_REVIEWED = "retention_reviewed", "Records reviewed after the retention period"
    RELEASE_AUTHORIZED = "release_authorized", "Couple records release authorized"
    RELEASE_AUTHORIZATION_RECORDED = "release_auth_recorded", "Paper release authorization recorded"
    RELEASE_AUTHORIZATION_REVOKED = "release_auth_revoked", "Release authorization revoked"
    RELEASE_PREPARED = "release_prepared", "Release prepared for review"
    RELEASE_REDACTED = "release_redacted", "Passage redacted from a release"
    RELEASE_CONFIRMED = "release_confirmed", "Release reviewed and confirmed"
    RELEASE_CANCELLED = "release_cancelled", "Release cancelled before it left"
    RELEASE_DOWNLOADED = "release_downloaded", "Release handed out (disclosure)"
    RELEASE_DOWNLOADED_AGAIN = "release_downloaded_again", "Release downloaded again"
    RELEASE_REFUSED = "release_refused", "Release download refused (nothing handed out)"
    SAFE_CONTACT_CHANGED_BY_STAFF = "safe_contact_staff", "Contact choices changed by staff at the client's request"
    CLIENT_LANGUAGE_CHANGED = "client_language", "Language of the client's pages changed"
    PASSWORD_RESET_SENT = "password_reset_sent", "Password reset link sent"
    INQUIRY_HELD = "inquiry_held", "Inquiry held for review (over the limit)"
    INQUIRY_RELEASED = "inquiry_released", "Held inquiry accepted after review"
    INVITATION_LIMITED = "invitation_limited", "Invitation link refused after too many attempts"
    CONJOINT_OVERRIDE = "conjoint_override", "Conjoint session added despite an open urgent flag"
    FLAG_NOTIFIED = "flag_notified", "Therapist told of an urgent flag by email"
    SUPERVISION_CHANGED = "supervision_changed", "Supervisor assignment changed"
    SUPERVISOR_VIEWED_CASE = "supervisor_viewed_case", "Case viewed by the therapist's supervisor (read-only)"
    AUDIT_EXPORTED = "audit_exported", "Audit log exported (CSV)"
    AUDIT_FULL_EXPORTED = "audit_full_exported", "Audit log exported in full for a stated purpose (CSV)"
    PDF_DOWNLOADED = "pdf_downloaded", "PDF downloaded"
    FLAGS_LISTED = "flags_listed", "Risk flag list read (dashboard)"
    REPORT_VIEWED = "report_viewed", "Report page read"
    CLIENT_RECORD_VIEWED = "client_record_viewed", "Client record page opened"
    SEARCHED = "searched", "Searched clients by name"
    PLAN_STARTED = "plan_started", "Treatment plan started"
    PLAN_SAVED = "plan_saved", "Treatment plan draft saved"
    PLAN_SIGNED = "plan_signed", "Treatment plan signed"
    PLAN_REVIEW_STARTED = "plan_review_started", "Treatment plan review started"
    PLAN_VIEWED = "plan_viewed", "Treatment plan read"
    PLAN_ACKNOWLEDGED = "plan_acknowledged", "Treatment plan acknowledged by the client"
    PLAN_SEEN_BY_CLIENT = "plan_seen_by_client", "Treatment goals read by the client"
    EXERCISE_SAVED = "exercise_saved", "Practice library exercise saved"
    EXERCISE_ASSIGNED = "exercise_assigned", "Exercise assigned to a client"
    EXERCISE_WITHDRAWN = "exercise_withdrawn", "Exercise assignment withdrawn"
    EXERCISE_OPENED = "exercise_opened", "Exercise opened by the client"
    CHECKIN_SENT = "checkin_sent", "Exercise check-in sent by the client"
    CHECKINS_VIEWED = "checkins_viewed", "Exercise check-ins read"
    PROGRESS_VIEW_ON = "progress_view_on", "Client's own progress view turned on"
    PROGRESS_VIEW_OFF = "progress_view_off", "Client's own progress view turned off"
    PROGRESS_SEEN_BY_CLIENT = "progress_seen_by_client", "Own progress read by the client"
    SESSION_CHECKIN_ASSIGNED = "session_checkin_assigned", "Session check-in offered to the client"
    SESSION_CHECKIN_SENT = "session_checkin_sent", "Session check-in sent by the client"
    SESSION_CHECKINS_VIEWED = "session_checkins_viewed", "Session check-ins read"
    BALANCE_ALERT_RAISED = "balance_alert_raised", "Balance alert raised"
    BALANCE_ALERT_RESOLVED = "balance_alert_resolved", "Balance alert resolved"
    APPOINTMENT_BOOKED = "appointment_booked", "Appointment booked"
    APPOINTMENT_MOVED = "appointment_moved", "Appointment moved"
    APPOINTMENT_CANCELLED = "appointment_cancelled", "Appointment cancelled"
    APPOINTMENT_ATTENDANCE = "appointment_attendance", "Attendance recorded"
    WORKING_HOURS_CHANGED = "working_hours_changed", "Working hours changed"
    CALENDAR_FEED_ON = "calendar_feed_on", "Calendar subscription turned on"
    CALENDAR_FEED_OFF = "calendar_feed_off", "Calendar subscription turned off"
    CONSULTATION_PUBLISHED = "consultation_published", "Consultation times published"
    CONSULTATION_CHOSEN = "consultation_chosen", "Consultation time chosen by a visitor"
    CONSULTATION_LINK_USED = "consultation_link_used", "Consultation time confirmed by the visitor's link"
    CONSULTATION_HELD = "consultation_held", "Consultation time held"
    CONSULTATION_CONFIRMED = "consultation_confirmed", "Consultation confirmed"
    CONSULTATION_RELEASED = "consultation_released", "Consultation time released"


# Any value, as long as the detail has the key.
PRESENT = "<present>"

# What a client's answers (or a clinician's finding about a client) bring about, and what happens only because
# of it. Beside the client's own row just before it ("Session check-in sent by the client"), each of these says
# what the client answered, so an admin's view of the log (the page, its filters and counts, its CSV) never holds
# them: `AuditEventQuerySet.seen_by_admins` leaves them out and `reading.describe` refuses them. The compliance
# export, made for a purpose the admin states and that is itself recorded, holds everything.
#
# Each action maps to the detail values that make one of its rows an outcome ({} = every row of it).
OUTCOMES: dict[str, dict[str, str]] = {
    Action.FLAG_RAISED: {},
    # The therapist's email about an urgent flag, a minute after it was raised.
    Action.FLAG_NOTIFIED: {},
    # Handling a flag says there was one, for that client.
    Action.FLAG_ACKNOWLEDGED: {},
    Action.FLAG_RESOLVED: {},
    # Recorded only when a dashboard lists flags, with how many: a new one shows as one more.
    Action.FLAGS_LISTED: {},
    Action.BALANCE_ALERT_RAISED: {},
    Action.BALANCE_ALERT_RESOLVED: {},
    # A clinician's finding of a sign of harm (a severe one raises an urgent flag).
    Action.WARNING_SIGN_RECORDED: {},
    # A joint session booked over an open urgent flag: says the case has one.
    Action.CONJOINT_OVERRIDE: {},
    # The safety questionnaire offered again (a check-in's answer, a warning sign, the therapist's concern):
    # it is only ever offered again because something suggested it. Its first offer carries no reason, and
    # the power questionnaire offered again on its rhythm or at a plan review is not an outcome.
    Action.SCREENING_ASSIGNED: {"instrument": "safety", "reason": PRESENT},
}

# And every later row about a record that an outcome row is about: the client's answers to a questionnaire
# offered again, the therapist reading them, and whatever is added later about a flag, an alert or a sign.
# (Not a session: a joint session held over a flag is a session like any other for the rest of its rows.)
FOLLOWING = ("assessments.screening", "assessments.riskflag", "assessments.balancealert", "assessments.warningsign")

# Actions every row of which is an outcome: not offered in an admin's action filter.
ALWAYS_OUTCOMES = frozenset(action for action, when in OUTCOMES.items() if not when)


def _declared() -> Q:
    rows = Q(action__in=ALWAYS_OUTCOMES)
    for action, when in OUTCOMES.items():
        if when:
            # has_key for each key: a row without it is then plainly not an outcome, never NULL.
            condition = Q(action=action)
            for key, want in when.items():
                condition &= Q(detail__has_key=key)
                if want != PRESENT:
                    condition &= Q(**{f"detail__{key}": want})
            rows |= condition
    return rows


def outcome_rows() -> Q:
    """The rows OUTCOMES and FOLLOWING name, as a database condition: the one reading of the declaration."""
    origin = AuditEvent.objects.filter(
        _declared(), target_type=OuterRef("target_type"), target_id=OuterRef("target_id")
    )
    return _declared() | (Q(target_type__in=FOLLOWING) & ~Q(target_id="") & Q(Exists(origin)))


class AuditEventQuerySet(models.QuerySet):
    def seen_by_admins(self) -> "AuditEventQuerySet":
        """The rows an admin's view of the log may hold: every row but the outcomes of a client's answers."""
        return self.exclude(outcome_rows())

    def outcomes(self) -> "AuditEventQuerySet":
        return self.filter(outcome_rows())

    def disclosures_of(self, client) -> "AuditEventQuerySet":
        """The accounting of disclosures a client may ask for (every document of their record), newest first.

        Read on the client's record page by admins too, so through their view of the log.
        """
        disclosed = [Action.PDF_GENERATED, Action.RECORD_EXPORTED, Action.RELEASE_DOWNLOADED]
        return self.seen_by_admins().filter(client=client, action__in=disclosed).order_by("-at", "-id")

    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One thing someone did to (or saw of) a record. Append-only.

    On PostgreSQL a trigger (migration 0002) refuses UPDATE and DELETE; the
    model refuses them in the application on every database.
    """

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The username at the time, so the log reads the same if an account is renamed.
    actor_label = models.CharField(max_length=150, blank=True)
    # No `choices=` on purpose: the list of actions lives in `Action` and is
    # checked on save, so adding an action needs no migration restating them.
    action = models.CharField(max_length=40)
    target_type = models.CharField(max_length=50, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    client = models.ForeignKey("clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # Identifiers and options only: never clinical content.
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The log page: newest first, optionally from a date.
            models.Index(fields=["-at", "-id"], name="audit_at_idx"),
            # "Who looked at this client's record" (accounting of access).
            models.Index(fields=["client", "-at"], name="audit_client_at_idx"),
            # Filter by person.
            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
            # Everything about one record (an admin's view leaves out the rows that follow an outcome).
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        if self.action not in Action.values:
            raise ValueError(f"Unknown audit action {self.action!r}: add it to clinic.audit.models.Action.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")

    @property
    def is_outcome(self) -> bool:
        """Whether an admin's view leaves this row out (a query: for checks, not for pages of rows)."""
        return AuditEvent.objects.outcomes().filter(pk=self.pk).exists()

    @property
    def action_label(self) -> str:
        """The action in words ("Signed in"), for people reading the log."""
        try:
            return Action(self.action).label
        except ValueError:
            return self.action
