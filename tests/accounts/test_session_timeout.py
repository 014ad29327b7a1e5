from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from tests.factories import PASSWORD, current_code, make_device


def staff_login(client, user):
    device = make_device(user)
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_staff_session_ends_after_fifteen_idle_minutes(client, therapist):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        staff_login(client, therapist)
        clock.shift(timedelta(minutes=14))
        assert client.get(reverse("dashboard")).status_code == 200
        clock.shift(timedelta(minutes=14))
        assert client.get(reverse("dashboard")).status_code == 200
        clock.shift(timedelta(minutes=15, seconds=1))
        response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=" + reverse("dashboard")
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action=Action.SESSION_EXPIRED)
    assert (event.actor, event.detail) == (therapist, {"reason": "idle"})
    login_page = client.get(response.url)
    assert "You were signed out because your session ended" in login_page.content.decode()


def test_a_staff_session_ends_after_twelve_hours_however_busy(client, therapist):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        staff_login(client, therapist)
        for _ in range(12 * 6 - 1):
            clock.shift(timedelta(minutes=10))
            assert client.get(reverse("dashboard")).status_code == 200
        clock.shift(timedelta(minutes=10, seconds=1))
        response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert AuditEvent.objects.get(action=Action.SESSION_EXPIRED).detail == {"reason": "absolute"}


def test_a_script_learns_the_session_ended_with_a_401(client, therapist):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        staff_login(client, therapist)
        clock.shift(timedelta(minutes=16))
        response = client.get(reverse("dashboard"), HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json()["error"] == "signed_out"
