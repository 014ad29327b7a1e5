"""Audit events for sign-in, sign-out, failures and lockouts."""

import time

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY


def _account_named(username: str | None):
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    now = time.time()
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_SEEN_KEY] = now
    record(action=Action.LOGIN, request=request, actor=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    reason = getattr(request, "fulcrum_logout_reason", None)
    if reason:
        record(action=Action.SESSION_EXPIRED, request=request, actor=user, detail={"reason": reason})
    else:
        record(action=Action.LOGOUT, request=request, actor=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = (credentials or {}).get("username", "")[:150]
    record(
        action=Action.LOGIN_FAILED,
        request=request,
        actor=_account_named(username),
        detail={"username": username},
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record(
        action=Action.LOCKED_OUT,
        request=request,
        actor=_account_named(username),
        detail={"username": (username or "")[:150]},
    )
