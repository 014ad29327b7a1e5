"""The therapist sees each partner's exercises and sent check-ins on the case page, in a fixed number of queries."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from clinic.plans.exercise_views import case_practice_context
from clinic.plans.exercises import draft_of, save_checkin
from tests.plans.practice_helpers import an_exercise, assign_to, sent_checkin

pytestmark = pytest.mark.django_db


def case_page(http, case):
    return http.get(reverse("case_detail", kwargs={"code": case.code}))


def section(response):
    return BeautifulSoup(response.content, "html.parser").select_one("section.case-practice")


def make_practice(case, person, partner, therapist, *, times: int) -> None:
    exercise = an_exercise()
    for n in range(times):
        for client in (person, partner):
            assignment = assign_to(case, client, by=therapist, exercise=exercise)
            sent_checkin(assignment, tried="partly", text=f"Line {n}")
            sent_checkin(assignment, tried="yes", worse=n == 0 and client == person)


def test_each_partner_has_their_own_column_with_sent_check_ins_and_a_clear_mark(
    as_user, therapist, couple_case, person, partner
):
    mine = assign_to(couple_case, person, by=therapist, personal_note="For Robin")
    sent_checkin(mine, tried="partly", text="Hard on Tuesday")
    sent_checkin(mine, tried="not_yet", worse=True)
    theirs = assign_to(couple_case, partner, by=therapist)
    draft = save_checkin(checkin=draft_of(theirs), tried="yes", text="Draft words, unsent", made_things_worse=False)
    old = assign_to(
        couple_case,
        partner,
        by=therapist,
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() - timedelta(days=20),
    )
    response = case_page(as_user(therapist), couple_case)
    part = section(response)
    columns = part.select(".practice-partner")
    assert [c.select_one("h3").get_text(" ", strip=True).split(" An ")[0] for c in columns] == [
        person.display_name,
        partner.display_name,
    ]
    first, second = columns
    assert "Hard on Tuesday" in first.get_text() and "Tried: Partly" in first.get_text(" ", strip=True)
    assert first.select(".checkin-worse") and "Made things worse or did not feel safe" in first.get_text()
    assert "An exercise made things worse" in first.select_one("h3").get_text()
    assert not second.select(".checkin-worse")
    # A draft is the client's until they send it.
    assert draft.text not in response.content.decode()
    assert "No check-in sent yet." in second.get_text()
    assert old.title in second.select_one(".past-assignments").get_text()
    assert part.select_one(f"a[href='{reverse('assignment_new', kwargs={'code': couple_case.code})}']")
    viewed = AuditEvent.objects.filter(action=Action.CHECKINS_VIEWED)
    assert [(e.client_id, e.detail["checkins"]) for e in viewed] == [(person.pk, 2)]
    assert "Hard on Tuesday" not in str(viewed[0].detail)


def test_nobody_but_the_primary_therapist_sees_the_section(
    as_user, therapist, colleague, supervisor, admin_user, couple_case, person
):
    therapist.supervisor = supervisor
    therapist.save(update_fields=["supervisor"])
    sent_checkin(assign_to(couple_case, person, by=therapist), text="Only for the therapist")
    for user in (supervisor, admin_user):
        response = case_page(as_user(user), couple_case)
        assert response.status_code == 200
        assert section(response) is None and "Only for the therapist" not in response.content.decode()
    assert case_page(as_user(colleague), couple_case).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.CHECKINS_VIEWED).exists()


def test_the_section_takes_the_same_queries_at_ten_times_the_data(
    as_user, therapist, couple_case, person, partner, django_assert_num_queries
):
    http = as_user(therapist)
    make_practice(couple_case, person, partner, therapist, times=1)
    case_page(http, couple_case)
    with CaptureQueriesContext(connection) as once:
        case_page(http, couple_case)
    case = type(couple_case).objects.prefetch_related("clients").get(pk=couple_case.pk)
    # Assignments, their sent check-ins, and one audit event per partner with check-ins.
    with django_assert_num_queries(4):
        case_practice_context(case=case, user=therapist)
    make_practice(couple_case, person, partner, therapist, times=9)
    with CaptureQueriesContext(connection) as ten:
        response = case_page(http, couple_case)
    assert len(section(response).select(".checkin")) == 40
    assert len(ten) == len(once)
    with django_assert_num_queries(4):
        case_practice_context(case=case, user=therapist)
