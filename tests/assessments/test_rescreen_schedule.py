"""The power questionnaire comes back on a rhythm (RESCREEN_WEEKS after the last answers) and at each plan review."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from assessments.models import Screening
from assessments.rescreening import assign_due, due_clients
from assessments.tasks import assign_rescreenings
from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Case, Client
from clinic.plans.planning import start_review
from tests.assessments.rescreen_helpers import answered
from tests.plans.progress_helpers import signed_plan

pytestmark = pytest.mark.django_db


def open_power(client) -> list[Screening]:
    return list(client.screenings.open().filter(instrument_key="power"))


def test_it_is_due_six_weeks_after_the_last_answers_and_not_before(person, partner):
    answered(person, days_ago=43)
    answered(partner, days_ago=41)
    assert list(due_clients()) == [person]
    assert assign_due() == 1
    assert len(open_power(person)) == 1 and open_power(partner) == []
    event = AuditEvent.objects.get(action=Action.SCREENING_ASSIGNED, client=person)
    assert event.detail == {"instrument": "power", "version": 1, "reason": "rhythm"}
    assert event.actor is None


def test_only_the_latest_answers_count(person):
    answered(person, days_ago=120)
    answered(person, days_ago=10)
    assert assign_due() == 0


def test_running_it_again_assigns_nothing_more_and_sends_one_notice(person, django_capture_on_commit_callbacks):
    Client.objects.filter(pk=person.pk).update(may_email=True, email="robin@example.org")
    answered(person, days_ago=50)
    with django_capture_on_commit_callbacks(execute=True):
        assert assign_due() == 1
        assert assign_due() == 0
    assert len(open_power(person)) == 1
    assert [m.subject for m in mail.outbox] == ["You have something new from your practice"]
    assert "power" not in mail.outbox[0].body.lower() and "questionnaire" not in mail.outbox[0].body.lower()


def test_no_email_unless_the_client_marked_it_safe(person, django_capture_on_commit_callbacks):
    Client.objects.filter(pk=person.pk).update(may_email=False, email="robin@example.org")
    answered(person, days_ago=50)
    with django_capture_on_commit_callbacks(execute=True):
        assign_due()
    assert mail.outbox == [] and len(open_power(person)) == 1


def test_the_practice_sets_the_rhythm(person, settings):
    settings.RESCREEN_WEEKS = 10
    answered(person, days_ago=50)
    assert assign_due() == 0
    settings.RESCREEN_WEEKS = 4
    assert assign_due() == 1


def test_a_client_without_a_login_is_not_asked(person, partner):
    answered(partner, days_ago=50)
    Client.objects.filter(pk=partner.pk).update(user=None)
    assert assign_due() == 0


def test_a_closed_case_is_not_asked(couple_case, person):
    answered(person, days_ago=50)
    Case.objects.filter(pk=couple_case.pk).update(status=Case.Status.CLOSED, discharged_on=date(2026, 11, 1))
    assert assign_due() == 0


def test_it_runs_on_the_task_queue_and_from_the_command(person, partner, capsys):
    answered(person, days_ago=50)
    answered(partner, days_ago=60)
    assign_rescreenings.enqueue()  # immediate backend in tests
    assert len(open_power(person)) == 1 and len(open_power(partner)) == 1
    call_command("assign_rescreenings")
    assert "Assigned 0 questionnaire(s)" in capsys.readouterr().out


def test_a_plan_review_asks_both_partners_again_once(couple_case, therapist, person, partner):
    answered(person, days_ago=5)
    answered(partner, days_ago=5)
    plan = signed_plan(couple_case, therapist, person=person, partner=partner).plan
    start_review(plan=plan, by=therapist)
    start_review(plan=plan, by=therapist)  # a second click finds the same draft
    assert len(open_power(person)) == 1 and len(open_power(partner)) == 1
    reasons = AuditEvent.objects.filter(action=Action.SCREENING_ASSIGNED).values_list("detail__reason", flat=True)
    assert sorted(reasons) == ["plan_review", "plan_review"]


def test_a_plan_review_leaves_alone_a_client_who_never_answered(couple_case, therapist, person, partner):
    answered(person, days_ago=5)
    plan = signed_plan(couple_case, therapist, person=person, partner=partner).plan
    start_review(plan=plan, by=therapist)
    assert len(open_power(person)) == 1 and open_power(partner) == []
