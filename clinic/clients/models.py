import uuid
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.accounts.models import Role
from clinic.accounts.reach import Kind, Level, Relation, allows, relations


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ClientQuerySet":
        """The client records `user` may open (clinic.accounts.reach, client details); everything else answers 404.

        Staff: the clients of the cases they reach; a client: their own record.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.CLIENT:
            return self.filter(user=user) if allows(Relation.CLIENT, Kind.CLIENT_DETAILS) else self.none()
        cases = Case.objects.reaching(user, Kind.CLIENT_DETAILS)
        return self.filter(pk__in=Membership.objects.filter(case__in=cases).values("client_id"))


class Client(models.Model):
    """One person in care. Linked to a login once they accept an invitation."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="client_profile",
    )
    full_name = models.CharField("full name", max_length=200)
    preferred_name = models.CharField(max_length=100, blank=True)
    # Both names, normalised by clinic.clients.search.normalise; kept in step by save().
    search_name = models.CharField(max_length=310, blank=True, editable=False)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # The language of the client's pages, emails, text messages and documents (clinic.lib.language); staff set
    # a first choice, the client changes it in their account. No choices here: the practice's languages are a
    # setting (LANGUAGES), and the forms offer them.
    language = models.CharField("language", max_length=12, default="en")
    # Safe-contact preferences. Nothing is assumed safe until someone says so.
    may_email = models.BooleanField("email is safe", default=False)
    may_call = models.BooleanField("calls are safe", default=False)
    may_text = models.BooleanField("text messages are safe", default=False)
    may_leave_voicemail = models.BooleanField("voicemail is safe", default=False)
    safe_times = models.CharField("safe times to contact", max_length=200, blank=True)
    # Appointment reminders: none until the client chooses a channel, and then only while that channel is safe,
    # only between these times (practice time), and naming the practice only if the client allowed it.
    reminder_channel = models.CharField(
        "appointment reminders",
        max_length=10,
        blank=True,
        choices=[("", _("No reminders")), ("email", _("By email")), ("text", _("By text message"))],
    )
    reminder_from = models.TimeField("reminders from", default=time(9, 0))
    reminder_until = models.TimeField("reminders until", default=time(18, 0))
    reminder_names_practice = models.BooleanField("reminders may name the practice and therapist", default=False)
    # Raised by one on every change of the choices above: a form opened before a change is refused, not applied.
    contact_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reminder_channel__in=["", "email", "text"]), name="client_reminder_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(reminder_until__gt=models.F("reminder_from")), name="client_reminder_times_order"
            ),
        ]
        indexes = [
            # Serves staff search: search_name LIKE 'term%' in clinic.clients.search.search().
            models.Index(fields=["search_name"], name="client_search_name_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        from clinic.clients.search import normalise

        self.search_name = normalise(f"{self.full_name} {self.preferred_name}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name

    @property
    def language_name(self) -> str:
        """The client's language, named in itself ("Español"), as staff pages show it."""
        from clinic.lib.language import name_of

        return name_of(self.language)

    def clean(self) -> None:
        if self.may_email and not self.email:
            raise ValidationError({"email": "Add an email address, or untick “email is safe”."})
        if (self.may_call or self.may_text or self.may_leave_voicemail) and not self.phone:
            raise ValidationError({"phone": "Add a phone number, or untick calls, texts and voicemail."})
        if self.reminder_channel == "email" and not self.may_email:
            raise ValidationError({"reminder_channel": _("Reminders by email need email to be ticked as safe.")})
        if self.reminder_channel == "text" and not self.may_text:
            raise ValidationError(
                {"reminder_channel": _("Reminders by text message need text messages to be ticked as safe.")}
            )
        if self.reminder_until <= self.reminder_from:
            raise ValidationError({"reminder_until": "The end of the reminder times must be after their start."})


REMINDER_FIELDS = ("reminder_channel", "reminder_from", "reminder_until", "reminder_names_practice")
CONTACT_FIELDS = (
    "may_email",
    "may_call",
    "may_text",
    "may_leave_voicemail",
    "email",
    "phone",
    "safe_times",
    *REMINDER_FIELDS,
)


class ContactSource(models.TextChoices):
    INTAKE = "intake", "The client, in their forms"
    CLIENT = "client", "The client, on their account page"
    STAFF = "staff", "Staff, at the client's request"


class ContactChange(models.Model):
    """That a client's contact choices changed: when, and by whom. Not what they were or became.

    A staff change keeps its reason here rather than in the audit log, because
    the reason may say something clinical ("asked in session after ...").
    """

    Source = ContactSource

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="contact_changes")
    changed_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20, choices=ContactSource.choices)
    reason = models.TextField(max_length=500, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=ContactSource.values), name="contactchange_source_valid"
            ),
            # Staff say why; the client never has to.
            models.CheckConstraint(
                condition=~models.Q(source=ContactSource.STAFF) | ~models.Q(reason=""),
                name="contactchange_staff_has_reason",
            ),
        ]
        indexes = [
            # The case page and the staff edit page: a client's latest changes.
            models.Index(fields=["client", "-changed_at"], name="contactchange_client_at_idx"),
        ]

    def __str__(self) -> str:
        return f"Contact choices of {self.client_id} changed {self.changed_at:%Y-%m-%d}"

    @property
    def by_staff(self) -> bool:
        return self.source == ContactSource.STAFF


def _as(relation: Relation, user) -> models.Q | None:
    """The cases `user` stands to in `relation`, as a filter (None: the user never stands so to any case).

    Supervision is an assignment: the therapists this user supervises, while the
    user is marked a supervisor. A colleague is every other therapist.
    """
    if relation == Relation.ADMIN:
        return models.Q(pk__isnull=False) if user.role == Role.ADMIN else None
    if user.role != Role.THERAPIST:
        return None  # clients reach their own records through their own pages, not through cases
    supervising = models.Q(primary_therapist__supervisor=user) if user.is_supervisor else models.Q(pk__in=[])
    treating = models.Q(primary_therapist=user)
    if relation == Relation.TREATING:
        return treating
    if relation == Relation.SUPERVISOR:
        return supervising & ~treating
    if relation == Relation.COLLEAGUE:
        return ~treating & ~supervising
    return None


class CaseQuerySet(models.QuerySet):
    def reaching(self, user, kind: Kind, level: Level = Level.READ) -> "CaseQuerySet":
        """The cases in which `user` reaches records of `kind` at `level`: what clinic.accounts.reach says.

        Every relation the table lets through adds its cases: an admin all of
        them, a therapist those they treat and those of the therapists they are
        assigned to supervise. Everything else answers 404.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        scopes = [q for q in (_as(relation, user) for relation in relations(kind, level)) if q is not None]
        if not scopes:
            return self.none()
        scope = scopes[0]
        for more in scopes[1:]:
            scope |= more
        return self.filter(scope)

    def visible_to(self, user) -> "CaseQuerySet":
        """The cases `user` works in (reach "write" on the case): its treating therapist, and admins.

        A supervisor's read-only reach is `reaching(user, Kind.CASE)`.
        """
        return self.reaching(user, Kind.CASE, Level.WRITE)

    def supervised_by(self, user) -> "CaseQuerySet":
        """The cases of the therapists `user` is assigned to supervise (whatever the table lets them reach there)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        scope = _as(Relation.SUPERVISOR, user)
        return self.filter(scope) if scope is not None else self.none()

    def open(self) -> "CaseQuerySet":
        return self.filter(status=CaseStatus.OPEN)


class CaseKind(models.TextChoices):
    COUPLE = "couple", _("Couple")
    INDIVIDUAL = "individual", _("Individual")


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    """One unit of treatment: a couple (two clients) or an individual."""

    Kind = CaseKind
    Status = CaseStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    primary_therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="primary_cases"
    )
    clients = models.ManyToManyField(Client, through="Membership", related_name="cases")
    opened_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Discharge: the case is closed on this date; records are then kept for RETENTION_YEARS.
    discharged_on = models.DateField(null=True, blank=True)
    discharge_note = models.CharField(max_length=500, blank=True)
    # An admin's decision after the retention period: keep the records until this date (never deleted by the app).
    keep_until = models.DateField(null=True, blank=True)
    keep_note = models.CharField(max_length=500, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=CaseKind.values), name="case_kind_valid"),
            models.CheckConstraint(condition=models.Q(status__in=CaseStatus.values), name="case_status_valid"),
            # A closed case says when it was discharged; an open one has no discharge date.
            models.CheckConstraint(
                condition=models.Q(status=CaseStatus.OPEN, discharged_on__isnull=True)
                | models.Q(status=CaseStatus.CLOSED, discharged_on__isnull=False),
                name="case_discharge_matches_status",
            ),
        ]
        indexes = [
            # A therapist's own open cases (dashboard, case list).
            models.Index(fields=["primary_therapist", "status"], name="case_therapist_status_idx"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """A readable name for staff pages. Uses prefetched clients when present."""
        names = [c.display_name for c in self.clients.all()]
        return " & ".join(names) or "Case"

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    @property
    def expected_size(self) -> int:
        return 2 if self.kind == self.Kind.COUPLE else 1

    def relation_of(self, user) -> Relation | None:
        """How a staff `user` stands to this case (clinic.accounts.reach); None for clients, who reach their
        own records through their own pages. The same rule as `CaseQuerySet.reaching`, for one case."""
        if not user.is_authenticated or not user.is_active:
            return None
        if user.role == Role.ADMIN:
            return Relation.ADMIN
        if user.role != Role.THERAPIST:
            return None
        if self.primary_therapist_id == user.pk:
            return Relation.TREATING
        if user.is_supervisor and self.primary_therapist.supervisor_id == user.pk:
            return Relation.SUPERVISOR
        return Relation.COLLEAGUE

    def reaches(self, user, kind: Kind, level: Level = Level.READ) -> bool:
        """Whether `user` reaches records of `kind` in this case at `level` (a staff user; see `relation_of`)."""
        return allows(self.relation_of(user), kind, level)


class Membership(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="memberships")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="memberships")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "client"], name="membership_unique"),
        ]
        indexes = [
            # Client.objects.visible_to(therapist) joins from client to its cases.
            models.Index(fields=["client", "case"], name="membership_client_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client} in {self.case_id}"


def case_and_client(user, case_code, client_code, *, kind: Kind, level: Level = Level.READ) -> tuple["Case", "Client"]:
    """A case in which the user reaches `kind` at `level`, and one of its clients, or 404: the one way views
    reach a case's client."""
    from django.shortcuts import get_object_or_404

    case = get_object_or_404(Case.objects.reaching(user, kind, level), code=case_code)
    return case, get_object_or_404(case.clients.all(), code=client_code)
