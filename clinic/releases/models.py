"""Release authorizations (one partner's written say over conjoint material) and releases under review.

A couple's conjoint notes hold what both partners said. A release of them
outside the treating team needs the *other* partner's authorization in force
for that recipient; every release outside the team is prepared, reviewed by
the case's primary therapist (redactions recorded), and confirmed before it
can be downloaded.
"""

import unicodedata
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.accounts.models import Role
from clinic.accounts.reach import Kind
from clinic.clients.models import Case, Client
from clinic.releases.signals import stored_copies_void

# An authorization runs for at most a year from the day it was signed; the client can sign a new one.
MAX_VALIDITY = timedelta(days=366)


class Scope(models.TextChoices):
    CONJOINT_NOTES = "conjoint_notes", _("Notes of joint sessions")
    SHARED_MATERIAL = "shared_material", _("The couple's shared treatment material")
    BOTH = "both", _("Notes of joint sessions and the shared treatment material")


class RecipientKind(models.TextChoices):
    PARTNER = "partner", _("The other partner")
    THIRD_PARTY = "third_party", _("A named person or organisation")


class Method(models.TextChoices):
    PORTAL = "portal", _("Signed by the client online")
    PAPER = "paper", _("Signed on paper, recorded by staff")


def scope_of(*, conjoint_notes: bool, shared_material: bool) -> str:
    if conjoint_notes and shared_material:
        return Scope.BOTH
    return Scope.CONJOINT_NOTES if conjoint_notes else Scope.SHARED_MATERIAL


class AuthorizationQuerySet(models.QuerySet):
    def in_force(self, on: date | None = None) -> "AuthorizationQuerySet":
        """Signed on or before `on`, not expired on `on` (the expiry day itself still counts), not revoked.

        A revocation ends an authorization from the moment it is made: nothing
        released after it relies on it, whatever `on` is.
        """
        on = on or timezone.localdate()
        return self.filter(signed_on__lte=on, expires_on__gte=on, revoked_at__isnull=True, superseded_at__isnull=True)

    def covering(self, material: str) -> "AuthorizationQuerySet":
        """Those whose scope covers `material` (Scope.CONJOINT_NOTES or Scope.SHARED_MATERIAL); BOTH covers each."""
        return self.filter(scope__in=[material, Scope.BOTH])

    def covering_conjoint_notes(self) -> "AuthorizationQuerySet":
        return self.covering(Scope.CONJOINT_NOTES)

    def covering_shared_material(self) -> "AuthorizationQuerySet":
        return self.covering(Scope.SHARED_MATERIAL)

    def to_partner(self, client: Client) -> "AuthorizationQuerySet":
        return self.filter(recipient_kind=RecipientKind.PARTNER, recipient_client=client)

    def to_third_party(self) -> "AuthorizationQuerySet":
        return self.filter(recipient_kind=RecipientKind.THIRD_PARTY)

    def to_recipient(self, authorization: "ReleaseAuthorization") -> list["ReleaseAuthorization"]:
        """Every authorization the same client gave in this case to the same recipient (any state), newest first."""
        given = self.filter(
            case_id=authorization.case_id,
            authorizing_client_id=authorization.authorizing_client_id,
            recipient_kind=authorization.recipient_kind,
        ).order_by("-signed_on", "-created_at", "-id")
        return [a for a in given if a.recipient_key == authorization.recipient_key]

    def of_client_user(self, user) -> "AuthorizationQuerySet":
        """A client's own authorizations, and only theirs: a partner's answer 404."""
        if not user.is_authenticated or not user.is_active or user.role != Role.CLIENT:
            return self.none()
        return self.filter(authorizing_client__user=user)

    def visible_to(self, user) -> "AuthorizationQuerySet":
        """Staff: the authorizations on cases where they reach them (clinic.accounts.reach: treating therapist,
        admin)."""
        return self.filter(case__in=Case.objects.reaching(user, Kind.AUTHORIZATIONS))


class ReleaseAuthorization(models.Model):
    """One partner's written authorization to release conjoint material to the other partner or a named third party."""

    Scope = Scope
    RecipientKind = RecipientKind
    Method = Method

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="release_authorizations")
    authorizing_client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="authorizations_given")
    recipient_kind = models.CharField(max_length=20, choices=RecipientKind.choices)
    recipient_client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.PROTECT, related_name="authorizations_received"
    )
    third_party_name = models.CharField("name", max_length=200, blank=True)
    third_party_organisation = models.CharField("organisation or relationship", max_length=200, blank=True)
    scope = models.CharField(max_length=20, choices=Scope.choices)
    signed_on = models.DateField("date signed")
    expires_on = models.DateField("expiry date")
    method = models.CharField(max_length=10, choices=Method.choices)
    # Portal: the full name the client typed as their signature.
    signature_name = models.CharField(max_length=200, blank=True)
    # Paper: who recorded it from the signed form (the date on the paper is signed_on).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(max_length=500, blank=True)
    # A newer authorization by the same client to the same recipient replaced this one: the newest governs.
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = AuthorizationQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=Scope.values), name="releaseauth_scope_valid"),
            models.CheckConstraint(condition=Q(recipient_kind__in=RecipientKind.values), name="releaseauth_kind_valid"),
            models.CheckConstraint(condition=Q(method__in=Method.values), name="releaseauth_method_valid"),
            # The partner is a client record; a third party is a name, never both.
            models.CheckConstraint(
                condition=Q(recipient_kind=RecipientKind.PARTNER, recipient_client__isnull=False, third_party_name="")
                | (
                    Q(recipient_kind=RecipientKind.THIRD_PARTY, recipient_client__isnull=True) & ~Q(third_party_name="")
                ),
                name="releaseauth_recipient_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(recipient_client=F("authorizing_client")), name="releaseauth_not_to_oneself"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=F("signed_on")), name="releaseauth_expires_after_signing"
            ),
            models.CheckConstraint(
                condition=(Q(method=Method.PORTAL) & ~Q(signature_name=""))
                | Q(method=Method.PAPER, recorded_by__isnull=False),
                name="releaseauth_signed_or_recorded",
            ),
            # A revocation says when and by whom, all at once.
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True, revoke_reason="")
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="releaseauth_revocation_complete",
            ),
        ]
        indexes = [
            # in_force() for one authorizing client (every release of the other partner's record).
            models.Index(fields=["authorizing_client", "expires_on"], name="releaseauth_client_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"Authorization by {self.authorizing_client} to {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        if self.recipient_kind == RecipientKind.PARTNER:
            return self.recipient_client.display_name if self.recipient_client else "the other partner"
        org = f" ({self.third_party_organisation})" if self.third_party_organisation else ""
        return f"{self.third_party_name}{org}"

    @property
    def recipient_key(self) -> str:
        """Who receives, as one comparable value: the partner's record, or the third party's name and organisation
        folded (case, accents written two ways, runs of spaces) so that "Dr  Lee" and "dr lee" are one recipient."""
        if self.recipient_kind == RecipientKind.PARTNER:
            return f"partner:{self.recipient_client_id}"
        return "third_party:" + "|".join(fold_name(v) for v in (self.third_party_name, self.third_party_organisation))

    @property
    def covers_conjoint_notes(self) -> bool:
        return self.scope in (Scope.CONJOINT_NOTES, Scope.BOTH)

    @property
    def covers_shared_material(self) -> bool:
        return self.scope in (Scope.SHARED_MATERIAL, Scope.BOTH)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_in_force(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return not self.is_revoked and self.superseded_at is None and self.signed_on <= on <= self.expires_on

    @property
    def state(self) -> str:
        if self.is_revoked:
            return "revoked"
        if self.superseded_at is not None:
            return "replaced"
        today = timezone.localdate()
        if self.expires_on < today:
            return "expired"
        return "in force" if self.signed_on <= today else "not yet in force"

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.signed_on and self.signed_on > today:
            errors["signed_on"] = "The date signed cannot be in the future."
        if self.expires_on:
            if self.expires_on <= today:
                errors["expires_on"] = "Choose an expiry date after today."
            elif self.signed_on and self.expires_on > self.signed_on + MAX_VALIDITY:
                errors["expires_on"] = "An authorization can run for at most a year from the day it was signed."
        if self.case_id and self.authorizing_client_id:
            members = set(self.case.clients.values_list("pk", flat=True))
            if self.case.kind != Case.Kind.COUPLE:
                errors["case"] = "Only a couple case has joint sessions to authorize."
            if self.authorizing_client_id not in members:
                errors["authorizing_client"] = "The person authorizing must be one of the couple."
            if self.recipient_kind == RecipientKind.PARTNER:
                others = members - {self.authorizing_client_id}
                if self.recipient_client_id not in others:
                    errors["recipient_client"] = "The other partner must be the other person in this case."
        if self.recipient_kind == RecipientKind.THIRD_PARTY and not self.third_party_name.strip():
            errors["third_party_name"] = "Write the name of the person or organisation."
        if errors:
            raise ValidationError(errors)

    def revoke(self, *, by, reason: str = "") -> bool:
        """Revoke from now on. Returns False if it was already revoked (the first revocation stands)."""
        now = timezone.now()
        changed = ReleaseAuthorization.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by, revoke_reason=reason.strip()[:500]
        )
        self.refresh_from_db()
        return bool(changed)


def fold_name(value: str) -> str:
    """A name as people mean it: compatibility-normalised, case-folded, spaces collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", value or "").casefold().split())


class ReleasePurpose(models.TextChoices):
    CLIENT_REQUEST = "client_request", "The client's own request"
    LEGAL = "legal", "Legal or required by law"
    OTHER = "other", "Other"


class ReleaseKind(models.TextChoices):
    SUMMARY = "summary", "Client summary (PDF)"
    EXPORT = "export", "Record export (ZIP with JSON and PDF)"


class ReleaseStatus(models.TextChoices):
    PREPARED = "prepared", "Waiting for the therapist's review"
    CONFIRMED = "confirmed", "Reviewed and confirmed"
    CANCELLED = "cancelled", "Cancelled"


class ReleaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReleaseQuerySet":
        """Releases of the cases where the user reaches them (clinic.accounts.reach: the treating therapist and
        admins); 404 for everyone else."""
        return self.filter(case__in=Case.objects.reaching(user, Kind.RELEASES))

    def awaiting_review_by(self, user) -> "ReleaseQuerySet":
        """Prepared releases waiting for `user` as the case's primary therapist."""
        if not user.is_authenticated or user.role != Role.THERAPIST:
            return self.none()
        return self.filter(status=ReleaseStatus.PREPARED, case__primary_therapist=user)


class Release(models.Model):
    """One document leaving the treating team: prepared, reviewed by the treating therapist, confirmed, downloaded."""

    Purpose = ReleasePurpose
    Kind = ReleaseKind
    Status = ReleaseStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="releases")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="releases")
    kind = models.CharField(max_length=10, choices=ReleaseKind.choices)
    purpose = models.CharField(max_length=20, choices=ReleasePurpose.choices)
    purpose_other = models.CharField(max_length=200, blank=True)
    # Who receives it: the client for their own request, else a named third party.
    recipient_name = models.CharField(max_length=200)
    # For a third party: the other partner's authorization to them staff chose (none: conjoint notes are withheld).
    authorization = models.ForeignKey(
        ReleaseAuthorization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    options = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=ReleaseStatus.choices, default=ReleaseStatus.PREPARED)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # What the therapist confirmed: a digest of the included notes, the withheld count,
    # the authorization relied on and the redactions. A download re-checks it.
    confirmed_fingerprint = models.CharField(max_length=64, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Every authorization the confirmed contents relied on (conjoint notes, shared material): each must still be
    # in force, unreplaced and to this recipient whenever a byte of the release is handed out.
    relied_on = models.ManyToManyField(ReleaseAuthorization, blank=True, related_name="+")
    # The first hand-out: the one accounting-of-disclosure row. Later downloads are plain audit events.
    disclosed_at = models.DateTimeField(null=True, blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-prepared_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReleaseKind.values), name="release_kind_valid"),
            models.CheckConstraint(condition=Q(purpose__in=ReleasePurpose.values), name="release_purpose_valid"),
            models.CheckConstraint(condition=Q(status__in=ReleaseStatus.values), name="release_status_valid"),
            models.CheckConstraint(
                condition=Q(status=ReleaseStatus.CONFIRMED, confirmed_at__isnull=False, confirmed_by__isnull=False)
                | (~Q(status=ReleaseStatus.CONFIRMED) & Q(confirmed_at__isnull=True)),
                name="release_confirmed_says_who",
            ),
            models.CheckConstraint(
                condition=Q(status=ReleaseStatus.CANCELLED, cancelled_at__isnull=False)
                | (~Q(status=ReleaseStatus.CANCELLED) & Q(cancelled_at__isnull=True)),
                name="release_cancelled_says_when",
            ),
            # The client's own request goes to the client: no third-party authorization applies.
            models.CheckConstraint(
                condition=~Q(purpose=ReleasePurpose.CLIENT_REQUEST) | Q(authorization__isnull=True),
                name="release_own_request_no_third_party",
            ),
        ]
        indexes = [
            # Release.objects.awaiting_review_by(therapist): the dashboard count.
            models.Index(fields=["status", "case"], name="release_status_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_name} ({self.get_status_display()})"

    @property
    def purpose_text(self) -> str:
        return self.purpose_other if self.purpose == ReleasePurpose.OTHER else self.get_purpose_display()

    @property
    def full_notes(self) -> bool:
        return self.kind == ReleaseKind.EXPORT or self.options.get("notes") == "full"

    @property
    def partner(self) -> Client | None:
        """The other partner of a couple case, whose say the conjoint notes need."""
        return self.case.clients.exclude(pk=self.client_id).first()

    def may_review(self, user) -> bool:
        return user.is_authenticated and user.pk == self.case.primary_therapist_id

    def confirm(self, *, by, fingerprint: str) -> bool:
        changed = Release.objects.filter(pk=self.pk, status=ReleaseStatus.PREPARED).update(
            status=ReleaseStatus.CONFIRMED,
            confirmed_by=by,
            confirmed_at=timezone.now(),
            confirmed_fingerprint=fingerprint,
        )
        self.refresh_from_db()
        return bool(changed)

    def reopen(self) -> None:
        """Back to review: what it would contain changed after it was confirmed."""
        reopened = Release.objects.filter(pk=self.pk, status=ReleaseStatus.CONFIRMED).update(
            status=ReleaseStatus.PREPARED, confirmed_by=None, confirmed_at=None, confirmed_fingerprint=""
        )
        self.relied_on.clear()
        self.refresh_from_db()
        if reopened:
            stored_copies_void.send(sender=Release, releases=[str(self.code)], reason="changed")

    def cancel(self, *, by) -> bool:
        changed = (
            Release.objects.filter(pk=self.pk)
            .exclude(status=ReleaseStatus.CANCELLED)
            .update(
                status=ReleaseStatus.CANCELLED,
                cancelled_by=by,
                cancelled_at=timezone.now(),
                confirmed_by=None,
                confirmed_at=None,
                confirmed_fingerprint="",
            )
        )
        self.relied_on.clear()
        self.refresh_from_db()
        if changed:
            stored_copies_void.send(sender=Release, releases=[str(self.code)], reason="cancelled")
        return bool(changed)


class RedactionKind(models.TextChoices):
    PASSAGE = "passage", "A passage of text"
    ITEM = "item", "A whole item (a questionnaire, ratings, reasons)"


class Redaction(models.Model):
    """A passage or a whole item left out of one release. The record itself is never changed.

    `part` names the piece (see clinic.releases.contents): for a passage, a
    piece of text (a note field, an addendum, a warning sign's description, an
    intake answer) whose passage the document shows as "[redacted]"; for an
    item, a structured value (a questionnaire's answers, check-in ratings, a
    flag's reasons) left out whole. `occurrence` says which appearance of the
    passage, counted from 1 in the part's text as the review page shows it; 0
    means every appearance.
    """

    Kind = RedactionKind

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="redactions")
    kind = models.CharField(max_length=10, choices=RedactionKind.choices, default=RedactionKind.PASSAGE)
    part = models.CharField(max_length=120)
    passage = models.TextField(blank=True)
    occurrence = models.PositiveSmallIntegerField(default=1)
    reason = models.CharField(max_length=500)
    redacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    redacted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["redacted_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RedactionKind.values), name="redaction_kind_valid"),
            # A passage names its text; a whole item has none.
            models.CheckConstraint(
                condition=Q(kind=RedactionKind.PASSAGE, passage__gt="") | Q(kind=RedactionKind.ITEM, passage=""),
                name="redaction_passage_matches_kind",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="redaction_reason_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{'Withheld' if self.kind == RedactionKind.ITEM else 'Redaction in'} {self.part}"
