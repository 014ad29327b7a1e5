"""Two tabs on one draft: the older tab's save is refused (409) and the first tab's words stay."""

import pytest
from bs4 import BeautifulSoup

from clinic.plans.models import PlanVersion
from clinic.plans.planning import start_plan
from tests.plans.plan_pages import editor_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def http(as_user, therapist):
    return as_user(therapist)


def test_a_stale_tab_autosave_is_refused_and_keeps_the_first_tabs_words(http, couple_case, therapist):
    draft = start_plan(case=couple_case, by=therapist)
    first_tab = editor_data(draft, concerns="First tab: money and who decides")
    second_tab = editor_data(draft, concerns="Second tab: older page")
    assert http.post(url("plan_autosave", couple_case), first_tab).status_code == 200
    response = http.post(url("plan_autosave", couple_case), second_tab)
    assert response.status_code == 409
    reply = response.json()
    assert reply["error"] == "conflict"
    assert "another tab" in reply["message"] and "nothing here was saved" in reply["message"]
    draft.refresh_from_db()
    assert draft.concerns == "First tab: money and who decides"


def test_a_stale_tab_save_shows_both_and_loses_nothing(http, couple_case, therapist):
    draft = start_plan(case=couple_case, by=therapist)
    first_tab = editor_data(draft, concerns="Saved in the first tab")
    second_tab = editor_data(draft, concerns="Typed in the second tab")
    http.post(url("plan_autosave", couple_case), first_tab)
    response = http.post(url("plan_edit", couple_case), second_tab)
    assert response.status_code == 409
    page = BeautifulSoup(response.content, "html.parser")
    assert "Saved in the first tab" in page.find(id="conflict").text
    assert page.find("textarea", attrs={"name": "concerns"}).text.strip() == "Typed in the second tab"
    # The page now builds on the latest revision: saving again from it is a deliberate choice.
    draft.refresh_from_db()
    assert page.find("input", attrs={"name": "revision"})["value"] == str(draft.revision)
    assert draft.concerns == "Saved in the first tab"


def test_a_save_without_a_revision_is_treated_as_stale(http, couple_case, therapist):
    draft = start_plan(case=couple_case, by=therapist)
    data = editor_data(draft, concerns="No revision")
    del data["revision"]
    assert http.post(url("plan_autosave", couple_case), data).status_code == 409
    assert PlanVersion.objects.get(pk=draft.pk).concerns != "No revision"


def test_autosave_of_a_signed_plan_is_refused(http, couple_case, therapist):
    from tests.plans.plan_pages import signed_plan

    version = signed_plan(couple_case, therapist)
    response = http.post(url("plan_autosave", couple_case), editor_data(version, concerns="late"))
    assert response.status_code == 409 and "start a review" in response.json()["message"]


def test_autosave_takes_only_form_posts(http, couple_case, therapist):
    start_plan(case=couple_case, by=therapist)
    response = http.post(url("plan_autosave", couple_case), "{}", content_type="application/json")
    assert response.status_code == 400


def test_a_page_left_open_while_the_draft_was_signed_shows_its_words_back(http, couple_case, therapist):
    from tests.plans.plan_pages import make_goal

    draft = start_plan(case=couple_case, by=therapist)
    goal = make_goal(draft)
    old_page = editor_data(draft, concerns="Typed after signing", **{f"goal-{goal.code}-statement": "Late goal words"})
    from clinic.plans.planning import sign_version

    sign_version(version=draft, by=therapist)
    response = http.post(url("plan_edit", couple_case), old_page)
    assert response.status_code == 409
    shown = BeautifulSoup(response.content, "html.parser").find(id="unsaved").text
    assert "Typed after signing" in shown and "Late goal words" in shown
    draft.refresh_from_db()
    assert draft.concerns != "Typed after signing"
