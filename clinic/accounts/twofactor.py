"""Two-factor sign-in: an authenticator app (TOTP) plus single-use recovery codes."""

import re
from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit.events import record
from clinic.audit.models import Action

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_due(user) -> str | None:
    """What a signed-in user still owes before using the app: "verify", "setup", or None.

    Anyone with a confirmed device must use it; staff without one must set
    one up unless REQUIRE_2FA is off (the local demo only).
    """
    if not user.is_authenticated or user.is_verified():
        return None
    if not hasattr(user, "_second_factor_due"):
        # Asked by the middleware and again by the page's context: look once per request.
        if has_device(user):
            user._second_factor_due = "verify"
        elif user.is_staff_member and settings.REQUIRE_2FA:
            user._second_factor_due = "setup"
        else:
            user._second_factor_due = None
    return user._second_factor_due


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device shown during enrolment; the same one until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def readable_secret(device: TOTPDevice) -> str:
    """The base32 key in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()


@transaction.atomic
def confirm_enrolment(*, request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm `device` with a code from the app; returns fresh recovery codes, or None if the code is wrong."""
    if not django_otp.verify_token(request.user, device.persistent_id, normalise(token)):
        return None
    device.refresh_from_db()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Only one app at a time: older confirmed devices stop working.
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    django_otp.login(request, device)
    request.session.cycle_key()
    record(action=Action.TWO_FACTOR_ENROLLED, request=request)
    return renew_recovery_codes(user=request.user)


@transaction.atomic
def renew_recovery_codes(*, user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(*, request: HttpRequest, token: str) -> bool:
    """Check a code from the app or a recovery code; on success the session is verified."""
    user = request.user
    token = normalise(token)
    if token.isascii() and token.isdigit():  # "³" passes isdigit() alone
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        matched = django_otp.verify_token(user, device.persistent_id, token)
        if matched:
            django_otp.login(request, matched)
            request.session.cycle_key()
            used_recovery = isinstance(matched, StaticDevice)
            record(
                action=Action.RECOVERY_CODE_USED if used_recovery else Action.TWO_FACTOR_VERIFIED,
                request=request,
            )
            return True
    record(action=Action.TWO_FACTOR_FAILED, request=request)
    return False
