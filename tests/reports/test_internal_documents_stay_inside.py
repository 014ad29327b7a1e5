"""The case summary and the plan PDF hold both partners' material: they are made only for the treating team.
Anything for outside the team is a client summary or a record export, which leaves only as a reviewed release."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent


@pytest.mark.parametrize("purpose", ["client_request", "legal", "other"])
@pytest.mark.parametrize("name", ["case_summary", "plan_pdf"])
def test_an_outside_purpose_is_refused_in_words_and_nothing_is_made(
    as_user, therapist, couple_case, person, partner, name, purpose
):
    from tests.reports.plan_material import make_plan

    make_plan(case=couple_case, therapist=therapist, person=person, partner=partner)
    response = as_user(therapist).post(
        reverse(name, kwargs={"case_code": couple_case.code}),
        {"purpose": purpose, "purpose_other": "For the court", "version": 2},
    )
    assert response.status_code == 200 and not response.content.startswith(b"%PDF")
    errors = " ".join(BeautifulSoup(response.content, "html.parser").find(id="error-summary").get_text(" ").split())
    assert "stays inside the treating team" in errors
    assert not AuditEvent.objects.filter(action=Action.PDF_GENERATED).exists()


@pytest.mark.parametrize("name", ["case_summary", "plan_pdf"])
def test_the_form_offers_only_the_purposes_inside_the_team(as_user, therapist, couple_case, person, partner, name):
    from tests.reports.plan_material import make_plan

    make_plan(case=couple_case, therapist=therapist, person=person, partner=partner)
    page = BeautifulSoup(
        as_user(therapist).get(reverse(name, kwargs={"case_code": couple_case.code})).content, "html.parser"
    )
    offered = {option["value"] for option in page.find("select", attrs={"name": "purpose"}).find_all("option")}
    assert offered == {"", "continuity", "supervision"}
