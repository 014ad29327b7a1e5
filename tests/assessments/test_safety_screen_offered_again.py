"""The safety questionnaire is offered again when the therapist asks, or when a warning sign suggests it."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from assessments.rescreening import offer_safety_screen
from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Client
from tests.assessments.rescreen_helpers import answered

pytestmark = pytest.mark.django_db

SIGN = {
    "type": "fear",
    "observed_on": "2026-11-02",
    "source": "client_report",
    "description": "Said she keeps her phone hidden.",
    "action_taken": "none_yet",
}


def rescreen_url(case, client, key="safety"):
    return reverse("rescreen", kwargs={"case_code": case.code, "client_code": client.code, "key": key})


def sign_url(case, client):
    return reverse("warning_sign_new", kwargs={"case_code": case.code, "client_code": client.code})


def open_safety(client):
    return list(client.screenings.open().filter(instrument_key="safety"))


@pytest.fixture
def reachable(person):
    Client.objects.filter(pk=person.pk).update(may_email=True, email="robin@example.org")
    person.refresh_from_db()
    return person


def test_the_therapist_asks_for_it_and_it_is_audited(
    as_user, therapist, couple_case, reachable, django_capture_on_commit_callbacks
):
    answered(reachable, days_ago=30, key="safety")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(therapist).post(rescreen_url(couple_case, reachable))
    assert response.status_code == 302
    assert len(open_safety(reachable)) == 1
    event = AuditEvent.objects.get(action=Action.SCREENING_ASSIGNED)
    assert (event.actor, event.client, event.detail["reason"]) == (therapist, reachable, "therapist")
    assert [m.subject for m in mail.outbox] == ["You have something new from your practice"]


def test_a_second_click_assigns_and_sends_nothing_more(
    as_user, therapist, couple_case, reachable, django_capture_on_commit_callbacks
):
    c = as_user(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(rescreen_url(couple_case, reachable))
        c.post(rescreen_url(couple_case, reachable))
    assert len(open_safety(reachable)) == 1 and len(mail.outbox) == 1


def test_the_client_sees_a_neutral_task(as_user, therapist, client_user, couple_case, person):
    as_user(therapist).post(rescreen_url(couple_case, person))
    page = BeautifulSoup(as_user(client_user).get(reverse("client_home")).content, "html.parser")
    tasks = [a.get_text(strip=True) for a in page.select("main .list-group a")]
    screening = open_safety(person)[0]
    link = page.find("a", href=reverse("questions", kwargs={"code": screening.code}))
    assert link is not None and "safety" not in link.get_text().lower()
    assert tasks


@pytest.mark.parametrize("severity", ["moderate", "severe"])
def test_a_warning_sign_that_matters_offers_it_again(as_user, therapist, couple_case, person, severity):
    as_user(therapist).post(sign_url(couple_case, person), {**SIGN, "severity": severity})
    assert len(open_safety(person)) == 1
    event = AuditEvent.objects.get(action=Action.SCREENING_ASSIGNED)
    assert (event.actor, event.detail["reason"]) == (therapist, "warning_sign")


def test_a_low_warning_sign_does_not(as_user, therapist, couple_case, person, partner):
    as_user(therapist).post(sign_url(couple_case, person), {**SIGN, "severity": "low"})
    assert open_safety(person) == [] and open_safety(partner) == []


def test_only_the_client_the_sign_is_about_is_asked(as_user, therapist, couple_case, person, partner):
    as_user(therapist).post(sign_url(couple_case, person), {**SIGN, "severity": "moderate"})
    assert open_safety(partner) == []


def test_the_check_in_trigger_is_one_call(person):
    first = offer_safety_screen(client=person, reason="session_checkin")
    assert first is not None and first.instrument_key == "safety"
    assert offer_safety_screen(client=person, reason="session_checkin") is None
    assert AuditEvent.objects.get(action=Action.SCREENING_ASSIGNED).detail["reason"] == "session_checkin"


def test_outsiders_wrong_roles_and_wrong_methods(
    as_user, colleague, client_user, admin_user, therapist, couple_case, person
):
    assert as_user(colleague).post(rescreen_url(couple_case, person)).status_code == 404
    assert as_user(client_user).post(rescreen_url(couple_case, person)).status_code == 404
    assert as_user(admin_user).post(rescreen_url(couple_case, person)).status_code == 404
    assert as_user(therapist).get(rescreen_url(couple_case, person)).status_code == 405
    assert open_safety(person) == []


def test_a_warning_sign_sends_the_client_no_email(
    as_user, therapist, couple_case, reachable, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_user(therapist).post(sign_url(couple_case, reachable), {**SIGN, "severity": "moderate"})
    assert len(open_safety(reachable)) == 1
    assert "robin@example.org" not in {address for m in mail.outbox for address in m.to}
