"""The dashboard lists who is due for the power questionnaire again, case named, in a fixed number of queries."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.rescreening import assign_due, due_for_therapist
from clinic.accounts.models import Role
from clinic.clients.models import Case, Client
from tests.assessments.rescreen_helpers import answered
from tests.factories import make_case, make_user

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def due_rows(response) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    return [li.get_text(" ", strip=True) for li in page.select(".rescreens-due li")]


def make_due(therapist, count: int) -> None:
    for _ in range(count):
        user = make_user(Role.CLIENT)
        case = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL, users=[user])
        answered(case.clients.get(), days_ago=50)


def test_it_names_the_case_and_says_whether_the_client_was_asked(as_user, therapist, couple_case, person, partner):
    answered(person, days_ago=50)
    answered(partner, days_ago=70)
    answered(partner, days_ago=3)  # answered again lately: not due
    rows = due_rows(as_user(therapist).get(DASHBOARD))
    assert len(rows) == 1
    assert couple_case.label in rows[0] and person.display_name in rows[0]
    assert "to be asked again today" in rows[0]
    assign_due()
    rows = due_rows(as_user(therapist).get(DASHBOARD))
    assert "asked again" in rows[0] and "not answered yet" in rows[0]
    link = BeautifulSoup(as_user(therapist).get(DASHBOARD).content, "html.parser").select_one(".rescreens-due a")
    assert link["href"] == reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code})


def test_another_therapists_clients_are_not_listed(as_user, therapist, colleague, person):
    answered(person, days_ago=50)
    assert due_rows(as_user(colleague).get(DASHBOARD)) == []
    assert "No one is due." in as_user(colleague).get(DASHBOARD).content.decode()


def test_the_list_takes_three_queries_for_one_client_or_ten(therapist, django_assert_num_queries):
    make_due(therapist, 1)
    with django_assert_num_queries(3):
        assert [m.case.label for c in due_for_therapist(therapist=therapist) for m in c.own_memberships]
    make_due(therapist, 9)
    assign_due()
    with django_assert_num_queries(3):
        due = due_for_therapist(therapist=therapist)
        assert len([m.case.label for c in due for m in c.own_memberships]) == 10


def test_the_dashboard_takes_as_many_queries_with_ten_due_as_with_one(as_user, therapist):
    c = as_user(therapist)
    make_due(therapist, 1)
    c.get(DASHBOARD)
    with CaptureQueriesContext(connection) as one:
        assert len(due_rows(c.get(DASHBOARD))) == 1
    make_due(therapist, 9)
    with CaptureQueriesContext(connection) as ten:
        assert len(due_rows(c.get(DASHBOARD))) == 10
    assert len(ten.captured_queries) == len(one.captured_queries)


def test_clients_see_no_dashboard(as_user, client_user, person):
    answered(person, days_ago=50)
    assert as_user(client_user).get(DASHBOARD).status_code == 404
    assert Client.objects.count() == 2
