"""Signing is refused, in words, while the plan has gaps; nothing is locked."""

import pytest
from bs4 import BeautifulSoup

from clinic.plans.planning import start_plan
from tests.plans.plan_pages import make_goal, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def http(as_user, therapist):
    return as_user(therapist)


def test_the_confirmation_page_lists_the_gaps_and_offers_no_sign_button(http, couple_case, therapist):
    draft = start_plan(case=couple_case, by=therapist)
    page = BeautifulSoup(http.get(url("plan_sign", couple_case)).content, "html.parser")
    assert "Add at least one goal" in page.find(id="sign-gaps").text
    assert page.find(id="confirm-sign") is None
    make_goal(draft, statement="", progress_shows="")
    page = BeautifulSoup(http.get(url("plan_sign", couple_case)).content, "html.parser")
    gaps = [li.text for li in page.select("#sign-gaps li")]
    assert any("Write what each goal is" in gap for gap in gaps)
    assert any("Say how progress will show" in gap for gap in gaps)


def test_a_refused_sign_says_what_is_missing_and_locks_nothing(http, couple_case, therapist):
    draft = start_plan(case=couple_case, by=therapist)
    make_goal(draft, progress_shows="")
    response = http.post(url("plan_sign", couple_case), {"revision": str(draft.revision)}, follow=True)
    draft.refresh_from_db()
    assert not draft.is_signed
    text = BeautifulSoup(response.content, "html.parser").text
    assert "Not signed: " in text and "Say how progress will show for “Name who decides about money" in text


def test_a_sign_without_the_confirmed_revision_is_refused(http, couple_case, therapist):
    draft = start_plan(case=couple_case, by=therapist)
    make_goal(draft)
    response = http.post(url("plan_sign", couple_case), {"revision": "x"}, follow=True)
    draft.refresh_from_db()
    assert not draft.is_signed and "confirm from this page" in response.content.decode()
