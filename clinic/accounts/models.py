import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac


class Role(models.TextChoices):
    CLIENT = "client", "Client"
    THERAPIST = "therapist", "Therapist"
    ADMIN = "admin", "Practice admin"


STAFF_ROLES = (Role.THERAPIST, Role.ADMIN)
SESSION_HASH_SALT = "clinic.accounts.models.User.get_session_auth_hash"


class UserQuerySet(models.QuerySet):
    def staff(self) -> "UserQuerySet":
        return self.filter(role__in=STAFF_ROLES)

    def therapists(self) -> "UserQuerySet":
        return self.filter(role=Role.THERAPIST, is_active=True)


class FulcrumUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CLIENT)
    is_supervisor = models.BooleanField(
        default=False, help_text="Therapists only: may co-sign notes of therapists they supervise."
    )
    needs_cosign = models.BooleanField(
        default=False, help_text="Therapists only: their signed notes wait for a supervisor's co-signature."
    )
    # Supervision is an assignment: who supervises this therapist (set by an admin), not a practice-wide right.
    supervisor = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supervisees")
    # Raised to end every session of this account at once (deactivation). It is part of the
    # session's auth hash, so a cookie from before no longer signs anyone in, even after reactivation.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = FulcrumUserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=models.Q(is_supervisor=False) | models.Q(role=Role.THERAPIST),
                name="user_supervisor_is_therapist",
            ),
            models.CheckConstraint(
                condition=models.Q(needs_cosign=False) | models.Q(role=Role.THERAPIST),
                name="user_cosign_is_therapist",
            ),
            models.CheckConstraint(
                condition=models.Q(supervisor__isnull=True) | models.Q(role=Role.THERAPIST),
                name="user_supervised_is_therapist",
            ),
            models.CheckConstraint(
                condition=models.Q(supervisor__isnull=True) | ~models.Q(supervisor=models.F("id")),
                name="user_not_own_supervisor",
            ),
            # Password reset and staff invitations go by email: one account per address.
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _session_hash(self, secret=None) -> str:
        if not self.session_generation:
            # Unchanged from Django's own hash, so sessions survive the upgrade that added the counter.
            return super()._get_session_auth_hash(secret=secret)
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(SESSION_HASH_SALT, value, secret=secret, algorithm="sha256").hexdigest()

    def get_session_auth_hash(self) -> str:
        """Django checks this on every request: it changes with the password and with `end_sessions()`."""
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)

    def end_sessions(self) -> None:
        """Every session signed in as this user is refused from its next request on."""
        User.objects.filter(pk=self.pk).update(session_generation=models.F("session_generation") + 1)
        self.refresh_from_db(fields=["session_generation"])

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.THERAPIST

    @property
    def is_practice_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.is_supervisor and self.role != Role.THERAPIST:
            errors["is_supervisor"] = "Only therapists can be supervisors. Untick this or choose Therapist."
        if self.needs_cosign and self.role != Role.THERAPIST:
            errors["needs_cosign"] = "Only therapists' notes are co-signed. Untick this or choose Therapist."
        elif self.needs_cosign and self.supervisor_id is None:
            # Only the assigned supervisor co-signs: without one the notes would wait for nobody.
            errors["supervisor"] = "Choose who supervises this therapist: their notes wait for that co-signature."
        if self.supervisor_id is not None:
            chosen = self.supervisor
            if self.role != Role.THERAPIST:
                errors["supervisor"] = "Only therapists have a supervisor. Leave this empty or choose Therapist."
            elif self.pk is not None and chosen.pk == self.pk:
                errors["supervisor"] = "Nobody supervises themselves. Choose another supervisor."
            elif not (chosen.is_supervisor and chosen.role == Role.THERAPIST and chosen.is_active):
                errors["supervisor"] = "Choose an active therapist who is marked as a supervisor."
        if self.email and User.objects.filter(email__iexact=self.email).exclude(pk=self.pk).exists():
            errors["email"] = "Another account already uses this email address. Use a different one."
        if errors:
            raise ValidationError(errors)
