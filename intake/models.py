import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.clients.models import Client


class InvitationQuerySet(models.QuerySet):
    def open(self) -> "InvitationQuerySet":
        """Neither used nor revoked (it may still have expired)."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True)


class InvitationDelivery(models.TextChoices):
    EMAIL = "email", "Emailed to the client"
    IN_PERSON = "in_person", "Link handed over by staff"


class Invitation(models.Model):
    """A single-use, expiring link that lets a client set up access.

    Only a SHA-256 hash of the token is stored: a copy of the database
    cannot be turned into working links.
    """

    Delivery = InvitationDelivery

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    delivery = models.CharField(max_length=20, choices=InvitationDelivery.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Tries at the set-up form, counted on the server: a link stops working after INVITATION_ATTEMPTS,
    # so that "that sign-in name is taken" cannot be asked about any number of names.
    attempts = models.PositiveIntegerField(default=0)
    limited_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delivery__in=InvitationDelivery.values), name="invitation_delivery_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="invitation_not_used_and_revoked",
            ),
            # Resending revokes the old link first: at most one live link per client.
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_client",
            ),
        ]
        indexes = [
            # The case page: each client's latest invitation.
            models.Index(fields=["client", "-created_at"], name="invitation_client_created_idx"),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.code}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def state(self) -> str:
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.limited_at:
            return "limited"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class ConsentKind(models.TextChoices):
    INFORMED_CONSENT = "informed_consent", "Informed consent"
    PRIVACY_NOTICE = "privacy_notice", "Notice of privacy practices"


class ConsentDocumentQuerySet(models.QuerySet):
    def current(self, kind: str, language: str = "en") -> "ConsentDocument":
        """The version in use in `language`; the project's first version if the practice has none yet.

        Each language has its own versions: a client reads and signs the text of their language, and the
        signed intake keeps that document (its language and version).
        """
        from intake.consent_defaults import DEFAULTS_BY_LANGUAGE

        document = self.filter(kind=kind, language=language).order_by("-version").first()
        if document is None and language not in DEFAULTS_BY_LANGUAGE:
            # A language the practice added without its own texts yet: the English ones, as they are.
            return self.current(kind, "en")
        if document is None:
            title, body = DEFAULTS_BY_LANGUAGE[language][kind]
            document, _ = ConsentDocument.objects.get_or_create(
                kind=kind, language=language, version=1, defaults={"title": title, "body": body}
            )
        return document


class ConsentDocument(models.Model):
    """One version of a text clients agree to. Never edited: a change is a new version."""

    Kind = ConsentKind

    kind = models.CharField(max_length=30, choices=ConsentKind.choices)
    version = models.PositiveIntegerField()
    # The language of the text; versions are counted per language.
    language = models.CharField(max_length=12, default="en")
    title = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ConsentDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ConsentKind.values), name="consent_kind_valid"),
            models.UniqueConstraint(
                fields=["kind", "language", "version"], name="consent_kind_language_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({self.language})"


class IntakeStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Submitted"


class IntakeLocked(Exception):
    """A submitted intake is read-only."""


class Intake(models.Model):
    """A client's online intake: answers per section, saved as typed, submitted once.

    `answers` holds, per section slug, each field exactly as the client
    typed it (strings and ticks), so a draft keeps every character even when
    it would not yet pass validation.
    """

    Status = IntakeStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # One intake per client: a second tab or a retried request finds the same row.
    client = models.OneToOneField(Client, on_delete=models.PROTECT, related_name="intake")
    status = models.CharField(max_length=20, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    completed = models.JSONField(default=list, blank=True, help_text="Slugs of sections that passed validation.")
    last_section = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    consent_document = models.ForeignKey(
        ConsentDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    privacy_document = models.ForeignKey(
        ConsentDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signature_name = models.CharField(max_length=200, blank=True)
    signed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=IntakeStatus.values), name="intake_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status=IntakeStatus.DRAFT)
                | models.Q(
                    submitted_at__isnull=False,
                    consent_document__isnull=False,
                    privacy_document__isnull=False,
                    signed_on__isnull=False,
                ),
                name="intake_submitted_is_signed",
            ),
        ]
        indexes = [
            # The dashboard: newly submitted intakes.
            models.Index(fields=["status", "-submitted_at"], name="intake_status_submitted_idx"),
        ]

    def __str__(self) -> str:
        return f"Intake {self.code}"

    @property
    def is_submitted(self) -> bool:
        return self.status == IntakeStatus.SUBMITTED

    def section_answers(self, slug: str) -> dict:
        return dict(self.answers.get(slug, {}))

    def save_section(self, slug: str, values: dict, *, complete: bool) -> None:
        """Store one section's values as typed; `complete` marks it as validated."""
        if self.is_submitted:
            raise IntakeLocked
        self.answers = {**self.answers, slug: values}
        done = [s for s in self.completed if s != slug]
        self.completed = [*done, slug] if complete else done
        self.last_section = slug
        self.updated_at = timezone.now()
        self.save(update_fields=["answers", "completed", "last_section", "updated_at"])

    def clean(self) -> None:
        if self.is_submitted and not self.signed_on:
            raise ValidationError("A submitted intake needs the consent signed.")

    @transaction.atomic
    def submit(self, *, consent: ConsentDocument, privacy: ConsentDocument, signature: str) -> bool:
        """Submit once. Returns False (and changes nothing) if it was already submitted."""
        locked = Intake.objects.select_for_update().get(pk=self.pk)
        if locked.is_submitted:
            self.refresh_from_db()
            return False
        now = timezone.now()
        Intake.objects.filter(pk=self.pk).update(
            status=IntakeStatus.SUBMITTED,
            submitted_at=now,
            updated_at=now,
            consent_document=consent,
            privacy_document=privacy,
            signature_name=signature,
            signed_on=timezone.localdate(now),
        )
        self.refresh_from_db()
        return True


class InquiryStatus(models.TextChoices):
    OPEN = "open", "Open"
    HELD = "held", "Held for review"
    CONVERTED = "converted", "Turned into a case"
    CLOSED = "closed", "Closed"


class InquiryHeldReason(models.TextChoices):
    ADDRESS = "address", "Many messages from one connection"
    SESSION = "session", "Many messages from one browser"
    GLOBAL = "global", "Many messages to the practice at once"


class InquiryCloseReason(models.TextChoices):
    NOT_A_FIT = "not_a_fit", "Not a fit for the practice"
    NO_RESPONSE = "no_response", "Could not reach them"
    REFERRED = "referred", "Referred elsewhere"
    DUPLICATE = "duplicate", "Duplicate"
    SPAM = "spam", "Spam"
    OTHER = "other", "Other"


class InquiryContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")


class InquiryQuerySet(models.QuerySet):
    def forget_addresses(self, *, now, counted_since) -> int:
        """Blank the address hash where no limit needs it any more.

        The message limits count the hour just gone (`counted_since`); the cap on consultation times counts
        the times still to come that a message asked for, as long as the message is not closed.
        """
        still_counted = models.Q(
            consultation_at__gt=now,
            status__in=[InquiryStatus.OPEN, InquiryStatus.HELD, InquiryStatus.CONVERTED],
        )
        return self.filter(received_at__lt=counted_since).exclude(ip_hash="").exclude(still_counted).update(ip_hash="")


class Inquiry(models.Model):
    """A message from the public "Get started" form, waiting for triage."""

    Status = InquiryStatus
    HeldReason = InquiryHeldReason
    CloseReason = InquiryCloseReason
    ContactMethod = InquiryContactMethod

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("name or alias", max_length=100)
    contact_method = models.CharField(max_length=20, choices=InquiryContactMethod.choices)
    contact_value = models.CharField(max_length=200)
    may_leave_message = models.BooleanField(default=False)
    message = models.TextField(max_length=2000)
    preferred_times = models.CharField(max_length=200, blank=True)
    # The language the form was sent in (its address: /es/start/): the first choice for the client's record.
    language = models.CharField(max_length=12, default="en")
    consent_to_contact = models.BooleanField(default=False)
    # A keyed hash of the sender's address, for the per-address limit; the address is not kept.
    ip_hash = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.OPEN)
    # Over a limit the message is kept, held for an admin to look at, and the sender thanked all the same:
    # a limit the sender could notice would tell someone sharing the connection that another person wrote.
    held_reason = models.CharField(max_length=20, choices=InquiryHeldReason.choices, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.CharField(max_length=20, choices=InquiryCloseReason.choices, blank=True)
    close_note = models.CharField(max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("clients.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The free consultation time the visitor asked for, kept whether or not a time is held for it
    # (clinic.appointments.consultations.take decides that).
    consultation_at = models.DateTimeField(null=True, blank=True)
    # A hash of the form's timing token: each opened form can be sent once.
    form_token_hash = models.CharField(max_length=64, blank=True)
    # A hash of the link sent by email or text to confirm the chosen time, and when the visitor confirmed.
    confirm_token_hash = models.CharField(max_length=64, blank=True)
    contact_confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=InquiryStatus.values), name="inquiry_status_valid"),
            models.CheckConstraint(
                condition=models.Q(contact_method__in=InquiryContactMethod.values), name="inquiry_contact_method_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(close_reason="") | models.Q(close_reason__in=InquiryCloseReason.values),
                name="inquiry_close_reason_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=InquiryStatus.CLOSED) | ~models.Q(close_reason=""),
                name="inquiry_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=InquiryStatus.CONVERTED) | models.Q(case__isnull=False),
                name="inquiry_converted_has_case",
            ),
            models.CheckConstraint(condition=models.Q(consent_to_contact=True), name="inquiry_consented"),
            models.CheckConstraint(
                condition=models.Q(held_reason="") | models.Q(held_reason__in=InquiryHeldReason.values),
                name="inquiry_held_reason_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=InquiryStatus.HELD) | ~models.Q(held_reason=""),
                name="inquiry_held_has_reason",
            ),
            # A timing token sent again (a script replaying one opened form) finds its hash here.
            models.UniqueConstraint(
                fields=["form_token_hash"], condition=~models.Q(form_token_hash=""), name="inquiry_form_sent_once"
            ),
            # Also the index of the confirmation link's look-up by its hash.
            models.UniqueConstraint(
                fields=["confirm_token_hash"], condition=~models.Q(confirm_token_hash=""), name="inquiry_confirm_link"
            ),
        ]
        indexes = [
            # The triage list: open inquiries, oldest waiting first.
            models.Index(fields=["status", "received_at"], name="inquiry_status_received_idx"),
            # The per-address limit: recent inquiries from one address.
            models.Index(fields=["ip_hash", "received_at"], name="inquiry_ip_received_idx"),
            # The practice-wide limit: everything received in the last hour.
            models.Index(fields=["received_at"], name="inquiry_received_idx"),
        ]

    def __str__(self) -> str:
        return f"Inquiry {self.code}"

    @property
    def is_held(self) -> bool:
        return self.status == InquiryStatus.HELD

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
