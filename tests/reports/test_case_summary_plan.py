"""The case summary (internal) shows the plan in force: shared goals with their latest progress, and both partners'
individual goals side by side."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.reports.plan_material import OWN, PARTNERS, SHARED, make_plan

pytestmark = pytest.mark.django_db


def test_the_case_summary_shows_both_partners_goals_side_by_side(
    as_user, therapist, couple_case, person, partner, first_page_png
):
    make_plan(case=couple_case, therapist=therapist, person=person, partner=partner)
    response = as_user(therapist).post(
        reverse("case_summary", kwargs={"case_code": couple_case.code}), {"purpose": "supervision"}
    )
    assert response["Content-Type"] == "application/pdf"
    first_page_png("case-summary-plan", response.content)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "INTERNAL" in text.upper() and "Version 2 in force" in text
    assert SHARED[0] in text and f"{SHARED[1]} seen in session" in text and "Some progress" in text
    assert "Individual goals, side by side" in text
    # Side by side in two columns: a marker may wrap inside its column.
    compact = text.replace(" ", "")
    assert OWN[0] in compact and PARTNERS[0] in compact
    side = compact.index("sidebyside")
    assert compact.index(person.display_name.replace(" ", ""), side) < compact.index(OWN[0], side)


def test_without_a_plan_the_case_summary_says_so(as_user, therapist, couple_case):
    response = as_user(therapist).post(
        reverse("case_summary", kwargs={"case_code": couple_case.code}), {"purpose": "supervision"}
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "No signed treatment plan." in text


def test_an_individual_case_summary_shows_its_goals(as_user, therapist):
    from clinic.accounts.models import Role
    from clinic.plans.planning import sign_version, start_plan
    from tests.factories import make_case, make_user
    from tests.reports.plan_material import goal

    case = make_case(therapist=therapist, kind="individual", users=[make_user(Role.CLIENT)])
    version = start_plan(case=case, by=therapist)
    goal(version, "SOLO-GOAL-3g3g")
    goal(version, "SOLO-OWN-4h4h", client=case.clients.get(), practice="repair")
    sign_version(version=version, by=therapist)
    response = as_user(therapist).post(
        reverse("case_summary", kwargs={"case_code": case.code}), {"purpose": "supervision"}
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "SOLO-GOAL-3g3g" in text and "SOLO-OWN-4h4h" in text and "Individual goals, side by side" not in text
