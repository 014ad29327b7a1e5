"""Audit events for sign-in, sign-out, failures and lockouts."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from clinic.accounts.typed_names import account_named
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY


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


# A failed sign-in or a pause keeps the account the typed name belongs to, as the row's person, or only
# that it is no account's: never the text, which is often a password or someone else's address
# (clinic/accounts/typed_names.py).


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    account = account_named((credentials or {}).get("username"))
    record(action=Action.LOGIN_FAILED, request=request, actor=account, detail={"name_known": account is not None})


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    # `username` is the throttle's name for it: an account's own name, or a hash that names no account.
    account = account_named(username)
    record(action=Action.LOCKED_OUT, request=request, actor=account, detail={"name_known": account is not None})
