"""Discharge, retention review and the rule that the app never deletes a record."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Case
from clinic.clients.retention import due_for_review, years_after
from clinic.notes.models import TherapySession


def discharge(http, case, **data):
    return http.post(reverse("case_discharge", kwargs={"code": case.code}), data)


def test_the_therapist_closes_a_case_with_a_date_and_reason(as_user, therapist, couple_case):
    today = timezone.localdate()
    response = discharge(as_user(therapist), couple_case, discharged_on=today.isoformat(), note="Goals met.")
    assert response.status_code == 302
    couple_case.refresh_from_db()
    assert (couple_case.status, couple_case.discharged_on, couple_case.discharge_note) == (
        "closed",
        today,
        "Goals met.",
    )
    assert AuditEvent.objects.filter(action=Action.CASE_DISCHARGED, target_id=str(couple_case.code)).exists()
    page = as_user(therapist).get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert "Discharged on" in page and "Goals met." in page


@pytest.mark.parametrize(
    ("when", "note", "message"),
    [
        (1, "Goals met.", "cannot be in the future"),
        (-400, "Goals met.", "choose that day or later"),
        (0, "", "Say briefly why the case is closing."),
    ],
)
def test_a_bad_discharge_says_why_and_keeps_what_was_typed(as_user, therapist, couple_case, when, note, message):
    day = timezone.localdate() + timedelta(days=when)
    response = discharge(as_user(therapist), couple_case, discharged_on=day.isoformat(), note=note)
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert day.isoformat() in body and (note in body)
    couple_case.refresh_from_db()
    assert couple_case.status == "open" and couple_case.discharged_on is None


def test_a_closed_case_takes_no_new_sessions_and_an_admin_may_reopen_it(as_user, therapist, admin_user, couple_case):
    discharge(as_user(therapist), couple_case, discharged_on=timezone.localdate().isoformat(), note="Ended.")
    refused = as_user(therapist).post(
        reverse("session_new", kwargs={"case_code": couple_case.code}),
        {"starts_at": "2026-11-20T14:00", "duration_minutes": "50", "format": "conjoint", "modality": "in_person", "attendance": "attended"},
        follow=True,
    )  # fmt: skip
    assert "This case is closed" in refused.content.decode()
    assert not TherapySession.objects.filter(case=couple_case).exists()
    assert as_user(therapist).post(reverse("case_reopen", kwargs={"code": couple_case.code})).status_code == 404
    as_user(admin_user).post(reverse("case_reopen", kwargs={"code": couple_case.code}))
    couple_case.refresh_from_db()
    assert couple_case.status == "open" and couple_case.discharged_on is None
    assert AuditEvent.objects.filter(action=Action.CASE_REOPENED).exists()


def closed(case, *, years_ago: int, days: int = 0):
    day = years_after(timezone.localdate(), -years_ago) - timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(status="closed", discharged_on=day, opened_on=day - timedelta(days=90))
    return day


def test_cases_are_due_exactly_when_the_retention_period_ends(couple_case, settings):
    settings.RETENTION_YEARS = 7
    closed(couple_case, years_ago=7, days=-1)  # one day short of seven years
    assert not due_for_review().exists()
    closed(couple_case, years_ago=7)
    assert list(due_for_review()) == [couple_case]


def test_a_later_session_moves_the_last_service(couple_case, therapist, settings):
    settings.RETENTION_YEARS = 7
    closed(couple_case, years_ago=8)
    TherapySession.objects.create(
        case=couple_case, starts_at=timezone.now() - timedelta(days=365 * 6), created_by=therapist
    )
    assert not due_for_review().exists()


def test_an_admin_records_a_keep_decision_and_the_case_comes_back_after_it(as_user, admin_user, couple_case):
    closed(couple_case, years_ago=9)
    http = as_user(admin_user)
    listing = http.get(reverse("retention_list")).content.decode()
    assert str(couple_case.code) in listing
    bad = http.post(
        reverse("retention_review", kwargs={"code": couple_case.code}),
        {"keep_until": "2020-01-01", "note": ""},
        follow=True,
    )
    assert "Choose a date after today" in bad.content.decode()
    keep = timezone.localdate() + timedelta(days=365)
    http.post(
        reverse("retention_review", kwargs={"code": couple_case.code}),
        {"keep_until": keep.isoformat(), "note": "Complaint open."},
    )
    assert not due_for_review().exists()
    event = AuditEvent.objects.get(action=Action.RETENTION_REVIEWED)
    assert event.detail == {"keep_until": keep.isoformat(), "note": "Complaint open."}
    with time_machine.travel(timezone.now() + timedelta(days=366)):
        assert list(due_for_review()) == [couple_case]
    assert Case.objects.filter(pk=couple_case.pk).exists()  # nothing is ever deleted


@pytest.mark.parametrize("size", [1, 10])
def test_the_review_list_runs_the_same_queries_however_many_cases(
    as_user, admin_user, therapist, size, django_assert_num_queries
):
    from tests.factories import make_case

    for _ in range(size):
        closed(make_case(therapist=therapist), years_ago=9)
    http = as_user(admin_user)
    http.get(reverse("retention_list"))
    with django_assert_num_queries(4):
        response = http.get(reverse("retention_list"))
    assert response.content.decode().count("Record the decision") == size
