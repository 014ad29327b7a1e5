from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def attempt(client, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": "clientone", "password": password}, REMOTE_ADDR=ip)


def test_it_locks_a_username_and_address_after_repeated_failures(client, client_user):
    assert attempt(client, "wrong-1").status_code == 200
    assert attempt(client, "wrong-2").status_code == 200
    locked = attempt(client, "wrong-3")
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    # Even the right password is refused while locked.
    assert attempt(client, PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action=Action.LOCKED_OUT, actor=client_user).exists()
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() >= 3


def test_nobody_can_lock_a_person_out_from_another_address(client, client_user):
    for n in range(3):
        attempt(client, f"wrong-{n}", ip="10.6.6.6")
    response = attempt(client, PASSWORD, ip="10.0.0.99")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == client_user.pk


def test_the_lock_lifts_after_the_cool_off(client, client_user):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(3):
            attempt(client, f"wrong-{n}")
        assert attempt(client, PASSWORD).status_code == 429
        clock.shift(timedelta(minutes=16))
        response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == client_user.pk
