"""A goal's questionnaire target and date are checked on the server; mistakes are named and nothing else is lost."""

import pytest
from bs4 import BeautifulSoup

from clinic.plans.forms import measure_choices
from clinic.plans.planning import start_plan
from tests.plans.plan_pages import editor_data, goal_field, make_goal, url

pytestmark = pytest.mark.django_db


def test_the_choices_are_the_screeners_domains():
    choices = dict(measure_choices())
    assert choices["power:money"] == "Money and resources (How things are between you)"
    assert not any(key.startswith("safety:") for key in choices)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"measure": "power:money", "direction": "below", "target": "150"}, "score from 0 to 100"),
        ({"measure": "power:money", "direction": "below", "target": "\u0665\u0660"}, "digits 0 to 9"),
        ({"measure": "power:money", "direction": "", "target": "50"}, "below or above"),
        ({"measure": "power:money", "direction": "above", "target": ""}, "Give the target score"),
        ({"measure": "", "direction": "below", "target": "50"}, "Choose the questionnaire domain"),
        ({"measure": "power:nothing", "direction": "below", "target": "50"}, "Select a valid choice"),
        ({"target_date": "2027-02-30"}, "month/day/year"),
        ({"target_date": "1850-01-01"}, "Check the year"),
    ],
)
def test_a_wrong_target_is_named_and_the_words_are_saved(as_user, therapist, couple_case, fields, message):
    http = as_user(therapist)
    draft = start_plan(case=couple_case, by=therapist)
    goal = make_goal(draft)
    posted = {goal_field(goal, name): value for name, value in fields.items()}
    data = editor_data(draft, concerns="kept", **{goal_field(goal, "statement"): "New words"}, **posted)
    reply = http.post(url("plan_autosave", couple_case), data).json()
    assert any(message in need for need in reply["sign_needs"]), reply["sign_needs"]
    goal.refresh_from_db()
    draft.refresh_from_db()
    assert goal.statement == "New words" and draft.concerns == "kept"
    assert goal.measure_domain == "" and goal.measure_target is None and goal.target_date is None
    # Without script, the page shows the mistake beside the field and keeps what was typed.
    data["revision"] = str(draft.revision)
    response = http.post(url("plan_edit", couple_case), data)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert message in page.find(id=f"goal-{goal.code}").text


def test_a_target_date_and_a_target_show_in_words_and_us_format(as_user, therapist, couple_case):
    http = as_user(therapist)
    draft = start_plan(case=couple_case, by=therapist)
    goal = make_goal(draft)
    fields = {"target_date": "2027-03-31", "measure": "power:money", "direction": "below", "target": "50"}
    data = editor_data(draft, **{goal_field(goal, name): value for name, value in fields.items()})
    http.post(url("plan_autosave", couple_case), data)
    draft.refresh_from_db()
    http.post(url("plan_sign", couple_case), {"revision": str(draft.revision)})
    page = BeautifulSoup(http.get(url("plan_detail", couple_case)).content, "html.parser")
    shown = page.find(id=f"goal-{goal.code}").text
    assert "March 31, 2027" in shown
    assert "Money and resources (How things are between you) below 50" in " ".join(shown.split())


@pytest.mark.parametrize("typed", ["2027-03-31", "03/31/2027"])
def test_a_target_date_typed_the_us_way_or_from_the_picker(as_user, therapist, couple_case, typed):
    http = as_user(therapist)
    draft = start_plan(case=couple_case, by=therapist)
    goal = make_goal(draft)
    http.post(url("plan_autosave", couple_case), editor_data(draft, **{goal_field(goal, "target_date"): typed}))
    goal.refresh_from_db()
    assert goal.target_date.isoformat() == "2027-03-31"
