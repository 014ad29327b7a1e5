"""Odd Unicode in every text field is saved as typed and shown escaped; NUL is refused with a message."""

import pytest
from bs4 import BeautifulSoup

from clinic.plans.planning import start_plan
from tests.plans.plan_pages import editor_data, goal_field, make_goal, url

pytestmark = pytest.mark.django_db

ODD = "\uff26\uff55\uff4c\uff4c width, עברית RTL\u200f, e\u0301 combined, 👩🏽‍⚕️ ZWJ, \u202eevil, <b>tags</b> & “quotes”"


def test_odd_unicode_is_kept_exactly_and_escaped(as_user, therapist, couple_case):
    http = as_user(therapist)
    draft = start_plan(case=couple_case, by=therapist)
    goal = make_goal(draft)
    data = editor_data(
        draft,
        concerns=ODD,
        safety_planning=ODD,
        **{
            goal_field(goal, "statement"): ODD,
            goal_field(goal, "progress_shows"): ODD,
        },
    )
    assert http.post(url("plan_autosave", couple_case), data).status_code == 200
    draft.refresh_from_db()
    goal.refresh_from_db()
    assert draft.concerns == draft.safety_planning == goal.statement == goal.progress_shows == ODD
    html = http.get(url("plan_edit", couple_case)).content.decode()
    assert "<b>tags</b>" not in html and "&lt;b&gt;tags&lt;/b&gt;" in html
    page = BeautifulSoup(html, "html.parser")
    assert page.find("textarea", attrs={"name": "concerns"}).text.strip() == ODD


def test_a_nul_character_is_refused_and_the_other_words_are_saved(as_user, therapist, couple_case):
    http = as_user(therapist)
    draft = start_plan(case=couple_case, by=therapist)
    goal = make_goal(draft)
    data = editor_data(draft, concerns="kept words", **{goal_field(goal, "statement"): "bad\x00word"})
    reply = http.post(url("plan_autosave", couple_case), data).json()
    draft.refresh_from_db()
    goal.refresh_from_db()
    assert draft.concerns == "kept words"
    assert goal.statement == "Name who decides about money, without blame"
    assert any("Null characters" in need for need in reply["sign_needs"])
