"""An individual case's plan: goals are the client's own plan, with no partner sections."""

import pytest
from bs4 import BeautifulSoup

from clinic.clients.models import Case
from clinic.plans.models import PlanVersion
from tests.factories import make_case
from tests.plans.plan_pages import editor_data, url

pytestmark = pytest.mark.django_db


def test_an_individual_plan_has_no_partner_goals(as_user, therapist):
    case = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL)
    client = case.clients.get()
    http = as_user(therapist)
    page = BeautifulSoup(http.get(url("plan_edit", case)).content, "html.parser")
    assert page.select(".partner-goals") == []
    assert page.select_one("button.add-goal").text == "Add a goal under Naming power"
    draft = PlanVersion.objects.get(plan__case=case)
    http.post(url("plan_edit", case), editor_data(draft, add=f"repair:{client.code}"))
    assert draft.goals.get().client is None
