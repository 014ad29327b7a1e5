import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.clients.models import Client
from clinic.lib import country


class ScreeningStatus(models.TextChoices):
    ASSIGNED = "assigned", "To do"
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Submitted"


OPEN_SCREENING_STATUSES = (ScreeningStatus.ASSIGNED, ScreeningStatus.DRAFT)


class ScreeningLocked(Exception):
    """A submitted screening is immutable."""


class ScreeningQuerySet(models.QuerySet):
    def submitted(self) -> "ScreeningQuerySet":
        return self.filter(status=ScreeningStatus.SUBMITTED)

    def open(self) -> "ScreeningQuerySet":
        return self.filter(status__in=OPEN_SCREENING_STATUSES)


SAFETY_LEVEL_WORDS = {"none": _("No concerns reported"), "elevated": _("Elevated"), "urgent": _("Urgent")}


class Screening(models.Model):
    """One administration of one instrument (key + version) to one client.

    Answers are kept as typed while in progress; at submission the scores
    are computed once and stored with the instrument version, so a later
    version of the instrument never changes this result. Submitted rows are
    immutable (the app refuses; on PostgreSQL a trigger refuses too).
    """

    Status = ScreeningStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="screenings")
    instrument_key = models.CharField(max_length=40)
    instrument_version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=ScreeningStatus.choices, default=ScreeningStatus.ASSIGNED)
    answers = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(null=True, blank=True)
    # Copied out of `scores` for lists and counts: the band (power) or level (safety).
    result = models.CharField(max_length=30, blank=True)
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The language the answers were given in, and which wording of it (assessments/translations): scores never
    # depend on it; staff read the answers in that wording with the English beside.
    language = models.CharField(max_length=12, default="en")
    text_version = models.PositiveSmallIntegerField(default=0)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ScreeningStatus.values), name="screening_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ScreeningStatus.SUBMITTED)
                | models.Q(submitted_at__isnull=False, scores__isnull=False),
                name="screening_submitted_has_scores",
            ),
            # A rescreen is a new row; but only one unfinished one per instrument at a time.
            models.UniqueConstraint(
                fields=["client", "instrument_key"],
                condition=models.Q(status__in=OPEN_SCREENING_STATUSES),
                name="screening_one_open_per_instrument",
            ),
        ]
        indexes = [
            # A client's results over time (trend), per instrument.
            models.Index(fields=["client", "instrument_key", "submitted_at"], name="screening_trend_idx"),
            # Dashboards: newly submitted screenings.
            models.Index(fields=["status", "-submitted_at"], name="screening_status_submitted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_key} v{self.instrument_version} ({self.get_status_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == ScreeningStatus.SUBMITTED

    @property
    def level_label(self) -> str:
        """A safety questionnaire's level in words: "none" reads as what it means."""
        level = (self.scores or {}).get("level", "")
        return SAFETY_LEVEL_WORDS.get(level, level.capitalize())

    def save_answers(self, answers: dict) -> None:
        if self.is_submitted:
            raise ScreeningLocked
        self.answers = answers
        self.status = ScreeningStatus.DRAFT
        self.updated_at = timezone.now()
        self.save(update_fields=["answers", "status", "updated_at"])

    @transaction.atomic
    def mark_submitted(
        self, *, scores: dict, result: str, at=None, language: str = "en", text_version: int = 0
    ) -> bool:
        """Store the computed scores once. False (and no change) if it was already submitted.

        `at` records when the answers were given, for answers collected earlier (e.g. on paper).
        """
        locked = Screening.objects.select_for_update().get(pk=self.pk)
        if locked.is_submitted:
            self.refresh_from_db()
            return False
        now = at or timezone.now()
        Screening.objects.filter(pk=self.pk).update(
            status=ScreeningStatus.SUBMITTED,
            scores=scores,
            result=result,
            submitted_at=now,
            updated_at=now,
            language=language,
            text_version=text_version,
        )
        self.refresh_from_db()
        return True


class FlagSeverity(models.TextChoices):
    ELEVATED = "elevated", _("Elevated")
    URGENT = "urgent", _("Urgent")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class FlagStateError(Exception):
    pass


class RiskFlagQuerySet(models.QuerySet):
    def unresolved(self) -> "RiskFlagQuerySet":
        return self.exclude(status=FlagStatus.RESOLVED)

    def urgent_unresolved(self) -> "RiskFlagQuerySet":
        """What keeps conjoint sessions "not advised": acknowledging a flag is not resolving it."""
        return self.unresolved().filter(severity=FlagSeverity.URGENT)


class RiskFlag(models.Model):
    """Raised by a screening's safety rules or a severe warning sign: open → acknowledged → resolved."""

    Severity = FlagSeverity
    Status = FlagStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="risk_flags")
    severity = models.CharField(max_length=20, choices=FlagSeverity.choices)
    # Rule ids and item ids that raised it; never free text.
    reasons = models.JSONField(default=list, blank=True)
    screening = models.ForeignKey(Screening, null=True, blank=True, on_delete=models.PROTECT, related_name="risk_flags")
    warning_sign = models.ForeignKey(
        "WarningSign", null=True, blank=True, on_delete=models.PROTECT, related_name="risk_flags"
    )
    # A client's check-in on a between-session exercise that said it made things worse or felt unsafe.
    exercise_checkin = models.ForeignKey(
        "plans.CheckIn", null=True, blank=True, on_delete=models.PROTECT, related_name="risk_flags"
    )
    # A client's session check-in that said it did not feel safe to disagree in the room.
    session_checkin = models.ForeignKey(
        "SessionCheckIn", null=True, blank=True, on_delete=models.PROTECT, related_name="risk_flags"
    )
    status = models.CharField(max_length=20, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    raised_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledge_note = models.TextField(blank=True, max_length=2000)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolve_note = models.TextField(blank=True, max_length=2000)
    # When the treating therapist was told by email (urgent flags): set once, so the notice is sent once.
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = RiskFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(severity__in=FlagSeverity.values), name="riskflag_severity_valid"
            ),
            models.CheckConstraint(condition=models.Q(status__in=FlagStatus.values), name="riskflag_status_valid"),
            models.CheckConstraint(
                condition=models.Q(screening__isnull=False)
                | models.Q(warning_sign__isnull=False)
                | models.Q(exercise_checkin__isnull=False)
                | models.Q(session_checkin__isnull=False),
                name="riskflag_has_source",
            ),
            models.CheckConstraint(
                condition=models.Q(status=FlagStatus.OPEN)
                | models.Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="riskflag_acknowledged_by_someone",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=FlagStatus.RESOLVED)
                | models.Q(resolved_at__isnull=False, resolved_by__isnull=False),
                name="riskflag_resolved_by_someone",
            ),
        ]
        indexes = [
            # Dashboards: open flags first, per client.
            models.Index(fields=["client", "status", "-raised_at"], name="riskflag_client_status_idx"),
            models.Index(fields=["status", "severity", "raised_at"], name="riskflag_status_severity_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} flag ({self.get_status_display()})"

    @property
    def raised_by(self) -> str:
        """What raised it, in words for staff pages ("by a questionnaire")."""
        if self.screening_id:
            return "by a questionnaire"
        if self.exercise_checkin_id:
            return "by a check-in on an exercise"
        if self.session_checkin_id:
            return "by a session check-in"
        return "by a warning sign"

    @transaction.atomic
    def acknowledge(self, *, by, note: str) -> None:
        flag = RiskFlag.objects.select_for_update().get(pk=self.pk)
        if flag.status != FlagStatus.OPEN:
            raise FlagStateError("Only an open flag can be acknowledged.")
        self.status, self.acknowledged_at, self.acknowledged_by, self.acknowledge_note = (
            FlagStatus.ACKNOWLEDGED,
            timezone.now(),
            by,
            note,
        )
        self.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "acknowledge_note"])

    @transaction.atomic
    def resolve(self, *, by, note: str) -> None:
        flag = RiskFlag.objects.select_for_update().get(pk=self.pk)
        if flag.status != FlagStatus.ACKNOWLEDGED:
            raise FlagStateError("Acknowledge the flag before resolving it.")
        self.status, self.resolved_at, self.resolved_by, self.resolve_note = (
            FlagStatus.RESOLVED,
            timezone.now(),
            by,
            note,
        )
        self.save(update_fields=["status", "resolved_at", "resolved_by", "resolve_note"])


class WarningSignType(models.TextChoices):
    # The five warning signs that a dynamic is harmful rather than fixable.
    RECURRING_ABUSE = "recurring_abuse", _("Recurring abuse despite promises")
    RESISTANCE = "resistance", _("Persistent resistance to acknowledging problems")
    DIMINISHING_SELF = "diminishing_self", _("Diminishing self")
    FEAR = "fear", _("Fear or safety concerns")
    UNRESOLVABLE_CONFLICT = "unresolvable_conflict", _("Unresolvable conflict")
    # Direct danger.
    PHYSICAL_HARM = "physical_harm", _("Physical harm")
    THREATS = "threats", _("Threats to harm or kill")
    SEXUAL_COERCION = "sexual_coercion", _("Pressured or forced sex")
    MONITORING = "monitoring", _("Monitoring or following")
    WEAPONS = "weapons", _("Access to weapons")
    STRANGULATION = "strangulation", _("Choking or strangling")
    SELF_HARM = "self_harm", _("Thoughts of self-harm")
    OTHER = "other", _("Other")


class WarningSignSeverity(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")


class WarningSignSource(models.TextChoices):
    CLIENT_REPORT = "client_report", _("Client report")
    OBSERVED = "observed", _("Observed in session")
    PARTNER_REPORT = "partner_report", _("Partner report")
    SCREENING = "screening", _("Screening")


class WarningSignAction(models.TextChoices):
    SAFETY_PLAN = "safety_plan", _("Safety plan discussed")
    REFERRAL = "referral", _("Referral")
    INDIVIDUAL_SESSIONS = "individual_sessions", _("Individual sessions")
    NONE_YET = "none_yet", _("None yet")


class WarningSign(models.Model):
    """A clinician's record of one observed or reported warning sign."""

    Type = WarningSignType
    Severity = WarningSignSeverity
    Source = WarningSignSource
    Action = WarningSignAction

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="warning_signs")
    type = models.CharField(max_length=30, choices=WarningSignType.choices)
    observed_on = models.DateField()
    severity = models.CharField(max_length=20, choices=WarningSignSeverity.choices)
    source = models.CharField(max_length=20, choices=WarningSignSource.choices)
    description = models.TextField(max_length=5000)
    action_taken = models.CharField(max_length=30, choices=WarningSignAction.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-observed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(type__in=WarningSignType.values), name="warningsign_type_valid"),
            models.CheckConstraint(
                condition=models.Q(severity__in=WarningSignSeverity.values), name="warningsign_severity_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=WarningSignSource.values), name="warningsign_source_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(action_taken__in=WarningSignAction.values), name="warningsign_action_valid"
            ),
        ]
        indexes = [
            # Listed per client, newest first.
            models.Index(fields=["client", "-observed_on"], name="warningsign_client_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.get_severity_display()})"


class SafetyInfo(models.Model):
    """The practice's calm, private safety page: an introduction and hotlines. The latest row is current."""

    intro = models.TextField(max_length=5000)
    hotlines = models.JSONField(default=list, help_text="A list of {name, phone, hours, note}.")
    # One page per language: a client reads the page in their language; the practice edits each.
    language = models.CharField(max_length=12, default="en")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"Safety page of {self.updated_at:%Y-%m-%d}"

    @classmethod
    def current(cls, language: str = "en") -> "SafetyInfo":
        """The page as clients read it in `language`: the latest saved one, or the default of the practice's country.

        A saved page that still holds another country's default emergency number is shown with this
        country's (see clinic.lib.country.help_page_for); read-only: never save the result. A language
        with no page of its own yet reads the country's default page, translated.
        """
        practice = country.current()
        info = cls.objects.filter(language=language).order_by("-updated_at", "-id").first()
        if info is None and language != "en":
            intro, hotlines = country.help_page_in(practice, language)
            return cls(intro=intro, hotlines=hotlines, language=language)
        if info is None:
            return cls(intro=practice.safety_intro, hotlines=practice.default_hotlines())
        if language == "en":
            info.intro, info.hotlines = country.help_page_for(practice, intro=info.intro, hotlines=info.hotlines)
        return info

    def lines_for(self, language: str) -> list[dict]:
        """The hotlines, each with what a reader of `language` should know about it (e.g. it answers in Spanish)."""
        extra = country.current().language_help
        return [
            {**line, "in_language": extra.get(line.get("phone", ""), {}).get(language, "")} for line in self.hotlines
        ]


class ProgressView(models.Model):
    """A client's own progress page, turned on by their treating therapist. No row: off (the default).

    Turning it off deletes the row; the audit log keeps who turned it on and off, and when.
    """

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="progress_view")
    turned_on_at = models.DateTimeField(default=timezone.now)
    turned_on_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Progress view of client {self.client_id}"


class SessionCheckInQuerySet(ScreeningQuerySet):
    def waiting(self, now=None) -> "SessionCheckInQuerySet":
        """Not answered yet and still open: what a client's home lists."""
        return self.open().filter(expires_at__gt=now or timezone.now())


class SessionCheckIn(models.Model):
    """One client's check-in on one session they were in (assessments/checkin_v1.py). At most one each.

    Autosaved while answered, sent once, then immutable like a screening (and on PostgreSQL a trigger
    refuses changes too). Unanswered by `expires_at`, it is closed and stays unanswered. Only the
    treating therapist reads it; a partner never learns whether the other answered.
    """

    Status = ScreeningStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey("notes.TherapySession", on_delete=models.PROTECT, related_name="checkins")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="session_checkins")
    instrument_key = models.CharField(max_length=40)
    instrument_version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=ScreeningStatus.choices, default=ScreeningStatus.ASSIGNED)
    answers = models.JSONField(default=dict, blank=True)
    # The optional line in the client's own words.
    comment = models.TextField(blank=True, max_length=500)
    scores = models.JSONField(null=True, blank=True)
    # Copied out of `scores` so that trends, alerts and reports aggregate in SQL.
    mean = models.FloatField(null=True, blank=True)
    assigned_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The language the answers were given in, and which wording of it (assessments/translations): scores never
    # depend on it; staff read the answers in that wording with the English beside.
    language = models.CharField(max_length=12, default="en")
    text_version = models.PositiveSmallIntegerField(default=0)

    objects = SessionCheckInQuerySet.as_manager()

    class Meta:
        verbose_name = "session check-in"
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "client"], name="session_checkin_one_per_client"),
            models.CheckConstraint(
                condition=models.Q(status__in=ScreeningStatus.values), name="session_checkin_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ScreeningStatus.SUBMITTED)
                | models.Q(submitted_at__isnull=False, scores__isnull=False, mean__isnull=False),
                name="session_checkin_submitted_has_scores",
            ),
            models.CheckConstraint(
                condition=models.Q(mean__isnull=True) | models.Q(mean__gte=0, mean__lte=10),
                name="session_checkin_mean_range",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "status", "expires_at"], name="session_checkin_client_idx"),
            models.Index(fields=["status", "submitted_at"], name="session_checkin_submitted_idx"),
        ]

    def __str__(self) -> str:
        return f"Session check-in ({self.get_status_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == ScreeningStatus.SUBMITTED

    def is_expired(self, now=None) -> bool:
        return not self.is_submitted and self.expires_at <= (now or timezone.now())


class BalanceReason(models.TextChoices):
    LOWER = "lower", "Rates sessions lower than their partner"
    DROP = "drop", "Ratings fell sharply"


class BalanceAlert(models.Model):
    """A pattern in a case's session check-ins for the therapist to look at: one client's voice is weaker.

    Raised by the rules in assessments/checkin_v1.py (assessments/checkins.py applies them), resolved by
    the therapist with a note. Staff only: never shown to either partner, never in a client's release.
    """

    Reason = BalanceReason

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("clients.Case", on_delete=models.PROTECT, related_name="balance_alerts")
    # The client whose ratings run lower or fell.
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="balance_alerts")
    reason = models.CharField(max_length=20, choices=BalanceReason.choices)
    # The session whose check-in completed the pattern: the same pattern is not raised twice from it.
    session = models.ForeignKey("notes.TherapySession", on_delete=models.PROTECT, related_name="balance_alerts")
    # The figures behind it (means per session), for the page; numbers only.
    detail = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolve_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(reason__in=BalanceReason.values), name="balance_reason_valid"),
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | models.Q(resolved_by__isnull=False),
                name="balance_resolved_by_someone",
            ),
            # One open alert per client and reason: a pattern that goes on is the same alert.
            models.UniqueConstraint(
                fields=["case", "client", "reason"],
                condition=models.Q(resolved_at__isnull=True),
                name="balance_one_open_per_reason",
            ),
        ]
        indexes = [models.Index(fields=["case", "resolved_at"], name="balance_case_open_idx")]

    def __str__(self) -> str:
        return f"Balance alert ({self.get_reason_display()})"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
