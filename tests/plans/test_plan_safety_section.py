"""A flagged case: the editor says why the safety section is needed, and signing waits for it."""

import pytest
from bs4 import BeautifulSoup

from clinic.plans.planning import start_plan
from tests.factories import make_warning_sign
from tests.plans.plan_pages import editor_data, make_goal, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def http(as_user, therapist):
    return as_user(therapist)


@pytest.fixture
def flagged(couple_case, therapist, person):
    make_warning_sign(person, by=therapist, urgent_flag=True, description="A broken door last month.")
    return couple_case


def test_an_unflagged_case_does_not_require_it(http, couple_case):
    page = BeautifulSoup(http.get(url("plan_edit", couple_case)).content, "html.parser")
    assert page.find(id="safety-required") is None
    assert "optional" in page.find(id="safety-section").legend.text


def test_the_editor_says_why_and_signing_waits_for_the_section(http, flagged, therapist):
    draft = start_plan(case=flagged, by=therapist)
    make_goal(draft)
    page = BeautifulSoup(http.get(url("plan_edit", flagged)).content, "html.parser")
    reasons = [li.text for li in page.select("#safety-required li")]
    assert reasons == [
        "A partner in this case has an urgent risk flag that is not resolved.",
        "A warning sign of abuse is recorded for a client in this case.",
    ]
    assert "required" in page.find(id="safety-section").legend.text
    assert "Include the safety section" in page.find(id="sign-needs-text").text
    # The clinical description of the warning sign is not repeated on the plan page.
    assert "broken door" not in page.text
    response = http.post(url("plan_sign", flagged), {"revision": str(draft.revision)}, follow=True)
    draft.refresh_from_db()
    assert not draft.is_signed and "Include the safety section" in response.content.decode()
    data = editor_data(
        draft,
        safety_individual_first="on",
        safety_conjoint_paused="on",
        safety_planning="Individual sessions first; a safety plan with the hotline numbers.",
    )
    reply = http.post(url("plan_autosave", flagged), data).json()
    assert reply["sign_needs"] == []
    draft.refresh_from_db()
    assert draft.safety_included and draft.safety_individual_first and draft.safety_conjoint_paused
    http.post(url("plan_sign", flagged), {"revision": str(draft.revision)})
    draft.refresh_from_db()
    assert draft.is_signed
    shown = BeautifulSoup(http.get(url("plan_detail", flagged)).content, "html.parser")
    assert "a safety plan with the hotline numbers" in shown.select_one(".plan-safety").text


def test_half_a_safety_section_is_not_enough(http, flagged, therapist):
    draft = start_plan(case=flagged, by=therapist)
    make_goal(draft)
    reply = http.post(url("plan_autosave", flagged), editor_data(draft, safety_individual_first="on")).json()
    assert any("Include the safety section" in need for need in reply["sign_needs"])
    assert any("Write the safety planning" in need for need in reply["sign_needs"])
