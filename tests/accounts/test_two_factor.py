import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit.models import Action, AuditEvent
from tests.factories import PASSWORD, current_code, make_device


def password_login(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_staff_without_a_device_must_enrol_before_anything_else(client, therapist):
    password_login(client, "owner")
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))


def test_enrolment_shows_a_qr_code_and_key_and_confirms_with_a_real_code(client, therapist):
    password_login(client, "owner")
    page = client.get(reverse("two_factor_setup"))
    body = page.content.decode()
    assert "<svg" in body
    device = TOTPDevice.objects.get(user=therapist, confirmed=False)
    assert re.search(r"<code [^>]*class=\"secret-key\">[A-Z2-7 ]{20,}</code>", body)

    wrong = client.post(
        reverse("two_factor_setup"), {"token": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert "That code did not match" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()

    done = client.post(reverse("two_factor_setup"), {"token": current_code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code[^>]*>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert sorted(StaticToken.objects.filter(device__user=therapist).values_list("token", flat=True)) == sorted(codes)
    assert AuditEvent.objects.filter(action=Action.TWO_FACTOR_ENROLLED, actor=therapist).exists()
    assert client.get(reverse("dashboard")).status_code == 200


def test_enrolment_says_what_to_type_when_the_code_is_not_six_digits(client, therapist):
    password_login(client, "owner")
    response = client.post(reverse("two_factor_setup"), {"token": "12ab"})
    assert "Enter the 6 digits your app shows" in response.content.decode()


def test_signing_in_asks_for_the_code_and_accepts_a_real_one(client, therapist):
    device = make_device(therapist)
    password_login(client, "owner")
    response = client.get(reverse("dashboard"))
    assert response.url == reverse("two_factor_verify") + "?next=" + reverse("dashboard")

    response = client.post(response.url, {"token": current_code(device), "next": reverse("dashboard")})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.TWO_FACTOR_VERIFIED, actor=therapist).count() == 1


def test_a_wrong_code_is_refused_and_audited(client, therapist):
    device = make_device(therapist)
    password_login(client, "owner")
    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = client.post(reverse("two_factor_verify"), {"token": wrong})
    assert response.status_code == 200
    assert "That code was not accepted" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.TWO_FACTOR_FAILED, actor=therapist).count() == 1


def test_a_recovery_code_works_once(client, therapist):
    make_device(therapist)
    from clinic.accounts.twofactor import renew_recovery_codes

    code = renew_recovery_codes(user=therapist)[0]
    password_login(client, "owner")
    response = client.post(reverse("two_factor_verify"), {"token": code.upper()})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.RECOVERY_CODE_USED, actor=therapist).exists()
    assert StaticToken.objects.filter(token=code).count() == 0

    client.post(reverse("logout"))
    password_login(client, "owner")
    again = client.post(reverse("two_factor_verify"), {"token": code})
    assert again.status_code == 200


def test_renewing_recovery_codes_replaces_the_old_ones(as_user, therapist):
    client = as_user(therapist)
    from clinic.accounts.twofactor import renew_recovery_codes

    old = set(renew_recovery_codes(user=therapist))
    response = client.post(reverse("recovery_codes_renew"))
    new = set(re.findall(r"<li><code[^>]*>([a-z2-7]{8})</code></li>", response.content.decode()))
    assert len(new) == 10
    assert not (old & new)
    assert set(StaticToken.objects.filter(device__user=therapist).values_list("token", flat=True)) == new
    assert client.get(reverse("recovery_codes_renew")).status_code == 405


def test_the_local_demo_may_relax_two_factor_and_says_so(client, settings, therapist):
    settings.REQUIRE_2FA = False
    password_login(client, "owner")
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "two-factor sign-in is not enforced here" in response.content.decode()


@pytest.mark.parametrize("relaxed", [True, False])
def test_a_staff_member_with_a_device_is_always_asked_for_it(client, settings, therapist, relaxed):
    settings.REQUIRE_2FA = not relaxed
    make_device(therapist)
    password_login(client, "owner")
    assert client.get(reverse("dashboard")).status_code == 302


def test_clients_are_not_forced_to_enrol(client, client_user):
    password_login(client, "clientone")
    assert client.get(reverse("client_home")).status_code == 200
