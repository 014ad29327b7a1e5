"""The primary therapist assigns an exercise to one partner or both, privately, for a period; and withdraws it."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Case, Client
from clinic.clients.notices import SOMETHING_NEW_SUBJECT
from clinic.lib.neutral import unneutral_words
from clinic.plans.models import Assignment, Exercise, Goal
from clinic.plans.planning import sign_version, start_plan
from tests.factories import make_case
from tests.plans.practice_helpers import an_exercise
from tests.plans.practice_helpers import assignment_form as form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise(db):
    return an_exercise()


def url(case) -> str:
    return reverse("assignment_new", kwargs={"code": case.code})


def errors(response) -> str:
    summary = BeautifulSoup(response.content, "html.parser").select_one("#error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


@pytest.fixture
def signed_plan(couple_case, therapist, person, partner):
    version = start_plan(case=couple_case, by=therapist)
    shared = Goal.objects.create(
        version=version, practice="repair", statement="Repair within a day", progress_shows="x"
    )
    own = Goal.objects.create(
        version=version, practice="restoring_agency", client=person, statement="Say no once", progress_shows="x"
    )
    sign_version(version=version, by=therapist)
    return {"shared": shared, "own": own}


def test_the_form_offers_each_partner_or_both_and_a_week_from_today(
    as_user, therapist, couple_case, person, partner, exercise
):
    page = as_user(therapist).get(url(couple_case))
    soup = BeautifulSoup(page.content, "html.parser")
    whos = {i["value"] for i in soup.select("input[name=who]")}
    assert whos == {str(person.code), str(partner.code), "both"}
    today = timezone.localdate()
    assert soup.select_one("input[name=starts_on]")["value"] == today.isoformat()
    assert soup.select_one("input[name=ends_on]")["value"] == (today + timedelta(days=7)).isoformat()
    offered = {o["value"]: o.get_text() for o in soup.select("select[name=exercise] option")}
    assert offered[""] == "Choose an exercise" and exercise.title in offered[str(exercise.code)]


def test_both_makes_two_private_assignments_and_a_neutral_notice_to_each_safe_inbox(
    as_user, therapist, couple_case, person, partner, exercise, django_capture_on_commit_callbacks
):
    Client.objects.filter(pk=person.pk).update(email="a@example.org", may_email=True)
    Client.objects.filter(pk=partner.pk).update(email="b@example.org", may_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(therapist).post(url(couple_case), form_data(exercise, "both", personal_note="Go gently"))
    assert response.status_code == 302
    made = Assignment.objects.filter(case=couple_case)
    assert sorted(a.client_id for a in made) == sorted([person.pk, partner.pk])
    assert all(a.title == exercise.title and a.personal_note == "Go gently" for a in made)
    assert AuditEvent.objects.filter(action=Action.EXERCISE_ASSIGNED).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    first, second = mail.outbox
    assert first.subject == second.subject == SOMETHING_NEW_SUBJECT
    assert first.body == second.body
    assert "You have something new from your practice" in first.body and reverse("login") in first.body
    for text in (first.subject, first.body):
        assert not unneutral_words(text)
        assert exercise.title not in text and "Go gently" not in text and "exercise" not in text.lower()


def test_no_email_unless_the_client_said_email_is_safe(
    as_user, therapist, couple_case, person, exercise, django_capture_on_commit_callbacks
):
    Client.objects.filter(pk=person.pk).update(email="a@example.org", may_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        as_user(therapist).post(url(couple_case), form_data(exercise, str(person.code)))
    assert Assignment.objects.get().client == person
    assert mail.outbox == []


def test_an_individual_case_assigns_to_its_client(as_user, therapist, exercise):
    case = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL)
    only = case.clients.get()
    page = BeautifulSoup(as_user(therapist).get(url(case)).content, "html.parser")
    assert [i["value"] for i in page.select("input[name=who]")] == [str(only.code)]
    as_user(therapist).post(url(case), form_data(exercise, str(only.code)))
    assert Assignment.objects.get().client == only


def test_the_period_must_end_on_or_after_it_starts(as_user, therapist, couple_case, person, exercise):
    today = timezone.localdate()
    data = form_data(exercise, str(person.code), ends_on=(today - timedelta(days=1)).isoformat())
    response = as_user(therapist).post(url(couple_case), data)
    assert response.status_code == 200
    assert "The last day must be on or after the first day." in errors(response)
    response = as_user(therapist).post(url(couple_case), form_data(exercise, "", ends_on="next week"))
    assert "Choose who this is for." in errors(response) and "Enter a date such as" in errors(response)
    assert not Assignment.objects.exists()


def test_a_goal_of_the_plan_in_force_shared_or_the_partners_own(
    as_user, therapist, couple_case, person, partner, exercise, signed_plan
):
    http = as_user(therapist)
    page = BeautifulSoup(http.get(url(couple_case)).content, "html.parser")
    offered = {o["value"] for o in page.select("select[name=goal] option")}
    assert offered == {"", str(signed_plan["shared"].code), str(signed_plan["own"].code)}
    # One partner's own goal is refused for the other partner, and for both.
    for who in (str(partner.code), "both"):
        response = http.post(url(couple_case), form_data(exercise, who, goal=str(signed_plan["own"].code)))
        assert "own" in errors(response)
    assert not Assignment.objects.exists()
    http.post(url(couple_case), form_data(exercise, str(person.code), goal=str(signed_plan["own"].code)))
    http.post(url(couple_case), form_data(exercise, "both", goal=str(signed_plan["shared"].code)))
    assert Assignment.objects.filter(goal=signed_plan["own"], client=person).count() == 1
    assert Assignment.objects.filter(goal=signed_plan["shared"]).count() == 2


def test_an_inactive_exercise_is_not_offered(as_user, therapist, couple_case, person, exercise):
    Exercise.objects.filter(pk=exercise.pk).update(is_active=False)
    response = as_user(therapist).post(url(couple_case), form_data(exercise, str(person.code)))
    assert "Choose one of the active exercises listed." in errors(response)


def test_withdrawing_hides_it_from_the_client_and_is_audited(
    as_user, therapist, couple_case, person, exercise, client_user
):
    as_user(therapist).post(url(couple_case), form_data(exercise, str(person.code)))
    assignment = Assignment.objects.get()
    response = as_user(therapist).post(reverse("assignment_withdraw", kwargs={"code": assignment.code}))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.withdrawn_at is not None
    assert AuditEvent.objects.filter(action=Action.EXERCISE_WITHDRAWN, target_id=str(assignment.code)).exists()
    client = as_user(client_user)
    assert client.get(reverse("my_practice", kwargs={"code": assignment.code})).status_code == 404
    assert "Something to try" not in client.get(reverse("client_home")).content.decode()


def test_only_the_primary_therapist_assigns_or_withdraws(
    as_user, therapist, colleague, supervisor, admin_user, client_user, outsider, couple_case, person, exercise
):
    therapist.supervisor = supervisor
    therapist.save(update_fields=["supervisor"])
    as_user(therapist).post(url(couple_case), form_data(exercise, str(person.code)))
    assignment = Assignment.objects.get()
    withdraw = reverse("assignment_withdraw", kwargs={"code": assignment.code})
    for user in (colleague, supervisor, admin_user, client_user, outsider):
        http = as_user(user)
        assert http.get(url(couple_case)).status_code == 404, user
        assert http.post(url(couple_case), form_data(exercise, "both")).status_code == 404, user
        assert http.post(withdraw).status_code == 404, user
    assert Assignment.objects.count() == 1 and Assignment.objects.get().withdrawn_at is None
    assert as_user(therapist).get(withdraw).status_code == 405
    assert as_user(therapist).put(url(couple_case)).status_code == 405


def test_a_closed_case_takes_no_new_assignment(as_user, therapist, couple_case, person, exercise):
    Case.objects.filter(pk=couple_case.pk).update(status=Case.Status.CLOSED, discharged_on=timezone.localdate())
    http = as_user(therapist)
    response = http.post(url(couple_case), form_data(exercise, str(person.code)))
    assert response.status_code == 302 and response.url == reverse("case_detail", kwargs={"code": couple_case.code})
    assert not Assignment.objects.exists()
    page = BeautifulSoup(http.get(response.url).content, "html.parser")
    assert not page.select(f"a[href='{url(couple_case)}']")
