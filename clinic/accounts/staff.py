"""Managing staff accounts: create with an emailed set-password link, deactivate, reactivate."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clinic.accounts.models import User
from clinic.audit.events import record
from clinic.audit.models import Action


def set_password_link(*, request: HttpRequest, user: User) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


@transaction.atomic
def create_staff(*, user: User, by: User, request: HttpRequest) -> User:
    """Save a new staff account (from StaffForm) and email its set-password link."""
    user.set_unusable_password()
    user.save()
    record(action=Action.STAFF_CREATED, request=request, actor=by, target=user, detail={"role": user.role})
    context = {"user": user, "link": set_password_link(request=request, user=user), "practice": settings.PRACTICE_NAME}
    transaction.on_commit(
        lambda: send_mail(
            subject=f"Your {settings.PRACTICE_NAME} account",
            message=render_to_string("accounts/email/staff_welcome.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    )
    return user


@transaction.atomic
def set_active(*, user: User, active: bool, by: User, request: HttpRequest) -> None:
    """Deactivating ends every session of the user at once.

    The auth backend already refuses an inactive user; ending the sessions as
    well (a new session auth hash) means reactivation never revives a cookie
    from before: the person signs in again, with their second factor.
    """
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        user.end_sessions()
    action = Action.ACCOUNT_REACTIVATED if active else Action.ACCOUNT_DEACTIVATED
    record(action=action, request=request, actor=by, target=user)
