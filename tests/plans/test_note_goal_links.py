"""The note editor shows the plan's goals and saves the goals worked on with every draft save and autosave."""

import pytest
from bs4 import BeautifulSoup

from clinic.plans.models import Movement, NoteGoal
from clinic.plans.planning import start_plan
from tests.plans.progress_helpers import (
    MARK_A,
    MARK_B,
    add_goal,
    editor_data,
    make_session,
    open_note,
    signed_plan,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(couple_case, therapist, person, partner):
    return signed_plan(couple_case, therapist, person=person, partner=partner)


def goal(plan, text):
    return plan.goals.get(statement__contains=text)


def test_a_conjoint_note_offers_the_shared_goals_and_each_partners_own(as_user, therapist, couple_case, plan):
    c = as_user(therapist)
    session = make_session(couple_case, therapist)
    page = BeautifulSoup(c.get(url("note_page", session)).content, "html.parser")
    fields = page.select_one("form#note-form fieldset#note-goals")
    assert fields is not None, "the goals must be inside the note form that autosave posts"
    headings = [h.get_text(strip=True) for h in fields.select("h3")]
    person, partner = (g.client for g in plan.goals.filter(client__isnull=False).order_by("client_id"))
    assert headings == ["Shared goals", f"{person.display_name}'s own goals", f"{partner.display_name}'s own goals"]
    assert len(fields.select("input[type=checkbox][name^=goal_]")) == 4
    assert len(fields.select("select[name^=movement_]")) == 4


def test_an_individual_note_offers_the_shared_goals_and_that_partners_own_only(
    as_user, therapist, couple_case, plan, person
):
    c = as_user(therapist)
    session = make_session(couple_case, therapist, with_client=person)
    html = c.get(url("note_page", session)).content.decode()
    assert MARK_A in html
    assert MARK_B not in html


def test_autosave_saves_the_goals_ticked_with_their_movement(as_user, therapist, couple_case, plan):
    c = as_user(therapist)
    session = make_session(couple_case, therapist)
    note = open_note(c, session)
    money, repair = goal(plan, "money"), goal(plan, "Repair")
    response = c.post(
        url("note_autosave", session),
        editor_data(note.version, {money: Movement.SOME, repair: Movement.SETBACK}),
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200, response.content
    assert dict(NoteGoal.objects.filter(note=note).values_list("goal__statement", "movement")) == {
        money.statement: Movement.SOME,
        repair.statement: Movement.SETBACK,
    }
    # The next autosave unticks one and changes the other: the links follow.
    c.post(
        url("note_autosave", session),
        editor_data(note.version + 1, {money: Movement.CLEAR}),
        headers={"accept": "application/json"},
    )
    assert list(NoteGoal.objects.filter(note=note).values_list("goal_id", "movement")) == [(money.pk, Movement.CLEAR)]


def test_the_plain_save_saves_them_and_the_page_shows_them_ticked(as_user, therapist, couple_case, plan):
    c = as_user(therapist)
    session = make_session(couple_case, therapist)
    note = open_note(c, session)
    repair = goal(plan, "Repair")
    response = c.post(url("note_save", session), editor_data(note.version, {repair: Movement.NO_CHANGE}))
    assert response.status_code == 302
    assert NoteGoal.objects.get(note=note).movement == Movement.NO_CHANGE
    page = BeautifulSoup(c.get(url("note_page", session)).content, "html.parser")
    assert page.select_one(f"input[name=goal_{repair.code}]").has_attr("checked")
    chosen = page.select_one(f"select[name=movement_{repair.code}] option[selected]")
    assert chosen["value"] == Movement.NO_CHANGE


def test_a_goal_ticked_without_a_movement_is_kept_and_signing_asks_how_it_moved(as_user, therapist, couple_case, plan):
    c = as_user(therapist)
    session = make_session(couple_case, therapist)
    note = open_note(c, session)
    money = goal(plan, "money")
    response = c.post(
        url("note_autosave", session),
        editor_data(note.version, **{f"goal_{money.code}": "on"}),
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200
    note.refresh_from_db()
    assert note.content["subjective"].startswith("Sam said")
    link = NoteGoal.objects.get(note=note)
    assert link.goal == money and link.movement == ""
    assert any("moved" in gap for gap in response.json()["sign_needs"])
    page = BeautifulSoup(c.get(url("note_page", session)).content, "html.parser")
    assert page.find("input", {"name": f"goal_{money.code}"}).has_attr("checked")


def test_a_goal_of_another_case_cannot_be_linked(as_user, therapist, couple_case, plan, colleague):
    from tests.factories import make_case

    other = make_case(therapist=therapist)
    foreign = start_plan(case=other, by=therapist)
    stranger = add_goal(foreign, statement="Another case's goal")
    c = as_user(therapist)
    session = make_session(couple_case, therapist)
    note = open_note(c, session)
    c.post(url("note_save", session), editor_data(note.version, {stranger: Movement.CLEAR}))
    assert not NoteGoal.objects.filter(note=note).exists()


def test_without_a_signed_plan_the_editor_says_so_and_works_as_before(as_user, therapist, couple_case):
    draft = start_plan(case=couple_case, by=therapist)
    add_goal(draft, statement="Draft goal not yet signed")
    c = as_user(therapist)
    session = make_session(couple_case, therapist)
    note = open_note(c, session)
    page = BeautifulSoup(c.get(url("note_page", session)).content, "html.parser")
    assert "no signed plan" in page.select_one("#no-signed-plan").get_text()
    assert page.select_one("#note-goals") is None and "Draft goal not yet signed" not in str(page)
    response = c.post(url("note_save", session), editor_data(note.version))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.version == 2 and not NoteGoal.objects.exists()
