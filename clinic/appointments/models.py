"""The practice calendar: appointments (alone or in weekly series), working hours, reminders, feeds, consultations.

An appointment is the plan; the TherapySession (and its note) is the record of
what happened, made from the appointment when the therapist marks it attended
(`clinic.appointments.booking.record_attendance`). Times are stored aware, in
UTC; a series keeps its local wall-clock time across a change of summer time.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from clinic.accounts.reach import Kind
from clinic.clients.models import Case, Client
from clinic.notes.models import Modality, SessionFormat, TherapySession


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    CANCELLED = "cancelled", "Cancelled in good time"
    LATE_CANCELLED = "late_cancelled", "Late cancellation"
    NO_SHOW = "no_show", "Did not attend"


# An appointment in one of these holds its time: it can conflict with another.
HOLDS_TIME = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED)


class Series(models.Model):
    """Appointments booked together at one interval; each occurrence can then be moved or cancelled on its own."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appointment_series")
    every_weeks = models.PositiveSmallIntegerField(choices=[(1, "Every week"), (2, "Every two weeks")])
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(every_weeks__in=[1, 2]), name="series_interval")]

    def __str__(self) -> str:
        return f"Series every {self.every_weeks} week(s) of case {self.case_id}"


class AppointmentQuerySet(models.QuerySet):
    def holding_time(self) -> "AppointmentQuerySet":
        return self.filter(status__in=HOLDS_TIME)

    def overlapping(self, starts_at, ends_at) -> "AppointmentQuerySet":
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def with_client(self, client: Client) -> "AppointmentQuerySet":
        """Appointments the client is in: their individual ones and the conjoint ones of their cases."""
        conjoint = models.Q(format=SessionFormat.CONJOINT, case__memberships__client=client)
        return self.filter(conjoint | models.Q(individual_client=client)).distinct()

    def visible_to(self, user) -> "AppointmentQuerySet":
        """Staff: the cases where they reach appointments (clinic.accounts.reach). A client: only appointments
        they are in (never a partner's own)."""
        from clinic.accounts.models import Role

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.CLIENT:
            client = Client.objects.filter(user=user).first()
            return self.with_client(client) if client else self.none()
        return self.filter(case__in=Case.objects.reaching(user, Kind.APPOINTMENTS))


class Appointment(models.Model):
    Status = AppointmentStatus
    Format = SessionFormat
    Modality = Modality

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appointments")
    # The case's therapist when booked; follows the case when it moves (clinic.clients.cases.reassign_case).
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments")
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments")
    # The occurrence's place in its series (1, 2, ...); "this and later ones" counts from it.
    sequence = models.PositiveSmallIntegerField(default=1)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    format = models.CharField(max_length=20, choices=SessionFormat.choices, default=SessionFormat.CONJOINT)
    individual_client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.PROTECT, related_name="individual_appointments"
    )
    modality = models.CharField(max_length=20, choices=Modality.choices, default=Modality.IN_PERSON)
    video_link = models.URLField("video link", max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED)
    # Why it was cancelled or missed: for staff only (may be personal), never shown to a client or a feed.
    status_reason = models.CharField(max_length=500, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    session = models.OneToOneField(
        TherapySession, null=True, blank=True, on_delete=models.PROTECT, related_name="appointment"
    )
    # Why a conjoint appointment was booked although an urgent flag on a partner was open (by created_by).
    conjoint_override_reason = models.TextField(blank=True, max_length=1000)
    # Booked outside the therapist's working hours on purpose.
    outside_hours = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Raised on every change: a form opened before a change is refused, not applied.
    version = models.PositiveIntegerField(default=1)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AppointmentStatus.values), name="appointment_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=SessionFormat.values), name="appointment_format_valid"
            ),
            models.CheckConstraint(condition=models.Q(modality__in=Modality.values), name="appointment_modality_valid"),
            models.CheckConstraint(
                condition=(models.Q(format=SessionFormat.INDIVIDUAL) & models.Q(individual_client__isnull=False))
                | (models.Q(format=SessionFormat.CONJOINT) & models.Q(individual_client__isnull=True)),
                name="appointment_individual_has_client",
            ),
            models.CheckConstraint(
                condition=models.Q(conjoint_override_reason="") | models.Q(format=SessionFormat.CONJOINT),
                name="appointment_override_is_conjoint",
            ),
            # Only an attended appointment has a session record (and so a note).
            models.CheckConstraint(
                condition=models.Q(session__isnull=True) | models.Q(status=AppointmentStatus.ATTENDED),
                name="appointment_session_if_attended",
            ),
            models.UniqueConstraint(fields=["series", "sequence"], name="appointment_series_sequence_unique"),
        ]
        indexes = [
            # Week and day views, conflicts: a therapist's appointments in a time range.
            models.Index(fields=["therapist", "starts_at"], name="appointment_therapist_idx"),
            # A case's appointments; a client's upcoming ones (through the case or individual_client).
            models.Index(fields=["case", "starts_at"], name="appointment_case_idx"),
            models.Index(fields=["individual_client", "starts_at"], name="appointment_individual_idx"),
            # The practice day view.
            models.Index(fields=["starts_at"], name="appointment_starts_idx"),
        ]

    def __str__(self) -> str:
        return f"Appointment {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at) / timedelta(minutes=1))

    @property
    def is_booked(self) -> bool:
        return self.status == AppointmentStatus.BOOKED

    @property
    def is_telehealth(self) -> bool:
        return self.modality == Modality.TELEHEALTH


class WorkingHours(models.Model):
    """When a therapist works on one day of the week. A day without a row is not a working day,
    once the therapist has set any hours; until then the practice's default hours apply
    (settings.DEFAULT_WORKING_HOURS)."""

    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(
        choices=[
            (i, d) for i, d in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
        ]
    )
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["therapist", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["therapist", "weekday"], name="working_hours_one_per_day"),
            models.CheckConstraint(condition=models.Q(ends__gt=models.F("starts")), name="working_hours_ends_after"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="working_hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"


class ReminderChannel(models.TextChoices):
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent"
    CANCELLED = "cancelled", "Not needed (appointment changed)"


class Reminder(models.Model):
    """One reminder of one appointment to one client by one channel, sent once (clinic.appointments.reminders)."""

    Channel = ReminderChannel
    Status = ReminderStatus

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="reminders")
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices)
    hours_before = models.PositiveSmallIntegerField()
    # The start it reminds of: a moved appointment gets new reminders, and those already sent stay on record.
    for_starts_at = models.DateTimeField()
    # When it goes: `hours_before` the appointment, moved into the client's safe window.
    due_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Why it was not sent, in words for staff ("text messages are no longer safe"); never clinical.
    outcome = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "client", "channel", "hours_before", "for_starts_at"],
                name="reminder_once_per_offset",
            ),
            models.CheckConstraint(condition=models.Q(channel__in=ReminderChannel.values), name="reminder_channel"),
            models.CheckConstraint(condition=models.Q(status__in=ReminderStatus.values), name="reminder_status"),
            models.CheckConstraint(
                condition=models.Q(sent_at__isnull=True) | models.Q(status=ReminderStatus.SENT),
                name="reminder_sent_at_if_sent",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="reminder_due_idx")]

    def __str__(self) -> str:
        return f"Reminder {self.channel} {self.due_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A therapist's private subscription address. Only a hash of its token is kept; revoked feeds answer 404."""

    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)
    # Reads in the current window, for the rate limit (clinic.appointments.feeds).
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_reads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one live address per therapist: turning it on again replaces the old one.
            models.UniqueConstraint(
                fields=["therapist"], condition=models.Q(revoked_at__isnull=True), name="calendarfeed_one_live"
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.therapist_id}"


class SlotStatus(models.TextChoices):
    OPEN = "open", "Open"
    # Chosen on Get started; offered to others again if nobody confirms it in time (SlotQuerySet.free).
    PENDING = "pending", "Chosen, waiting to be confirmed"
    HELD = "held", "Held, waiting for the practice to confirm"
    CONFIRMED = "confirmed", "Confirmed"
    WITHDRAWN = "withdrawn", "Withdrawn"


def unconfirmed_lapse(now):
    """A choice made before this instant and not confirmed since holds its time no longer."""
    return now - timedelta(hours=settings.CONSULTATION_CONFIRM_HOURS)


class SlotQuerySet(models.QuerySet):
    def free(self, now) -> "SlotQuerySet":
        """Times anyone may choose: open, or chosen but confirmed by nobody in time."""
        return self.filter(
            models.Q(status=SlotStatus.OPEN) | models.Q(status=SlotStatus.PENDING, held_at__lte=unconfirmed_lapse(now))
        )

    def taken(self, now) -> "SlotQuerySet":
        """Times kept from others: a choice still waiting for its confirmation, a held or a confirmed time."""
        return self.filter(
            models.Q(status__in=[SlotStatus.HELD, SlotStatus.CONFIRMED])
            | models.Q(status=SlotStatus.PENDING, held_at__gt=unconfirmed_lapse(now))
        )


class ConsultationSlot(models.Model):
    """A free first-consultation time a therapist publishes; a visitor may choose it on Get started."""

    Status = SlotStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultation_slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=SlotStatus.choices, default=SlotStatus.OPEN)
    inquiry = models.OneToOneField(
        "intake.Inquiry", null=True, blank=True, on_delete=models.PROTECT, related_name="consultation"
    )
    held_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after"),
            models.CheckConstraint(condition=models.Q(status__in=SlotStatus.values), name="slot_status_valid"),
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=[SlotStatus.PENDING, SlotStatus.HELD, SlotStatus.CONFIRMED])
                    & models.Q(inquiry__isnull=False)
                )
                | (models.Q(status__in=[SlotStatus.OPEN, SlotStatus.WITHDRAWN]) & models.Q(inquiry__isnull=True)),
                name="slot_inquiry_when_taken",
            ),
            # A choice lapses counted from when it was made.
            models.CheckConstraint(
                condition=~models.Q(status=SlotStatus.PENDING) | models.Q(held_at__isnull=False),
                name="slot_pending_since",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="slot_open_idx")]

    def __str__(self) -> str:
        return f"Consultation {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def lapses_at(self):
        """When a choice nobody has confirmed stops holding the time (None once held or confirmed)."""
        if self.status != SlotStatus.PENDING:
            return None
        return self.held_at + timedelta(hours=settings.CONSULTATION_CONFIRM_HOURS)

    @property
    def lapsed(self) -> bool:
        """A choice nobody confirmed in time: the time is offered to everyone again."""
        return self.status == SlotStatus.PENDING and self.lapses_at <= timezone.now()

    @property
    def is_free(self) -> bool:
        return self.status == SlotStatus.OPEN or self.lapsed
