"""Two tabs on one draft: the stale save changes neither the note nor its goal links, and keeps what it sent."""

import pytest
from bs4 import BeautifulSoup

from clinic.plans.models import Movement, NoteGoal
from tests.plans.progress_helpers import editor_data, make_session, open_note, signed_plan, url

pytestmark = pytest.mark.django_db


def test_a_stale_save_keeps_note_and_links_consistent(as_user, therapist, couple_case):
    plan = signed_plan(couple_case, therapist)
    money, repair = plan.goals.get(statement__contains="money"), plan.goals.get(statement__contains="Repair")
    c = as_user(therapist)
    session = make_session(couple_case, therapist)
    note = open_note(c, session)
    opened_at = note.version
    # Tab one saves the money goal.
    first = c.post(
        url("note_autosave", session),
        editor_data(opened_at, {money: Movement.CLEAR}, c_subjective="Tab one"),
        headers={"accept": "application/json"},
    )
    assert first.status_code == 200
    # Tab two, opened at the same version, autosaves the repair goal: refused, nothing changes.
    second = c.post(
        url("note_autosave", session),
        editor_data(opened_at, {repair: Movement.SETBACK}, c_subjective="Tab two"),
        headers={"accept": "application/json"},
    )
    assert second.status_code == 409
    note.refresh_from_db()
    assert note.content["subjective"] == "Tab one" and note.version == opened_at + 1
    assert list(NoteGoal.objects.filter(note=note).values_list("goal_id", "movement")) == [(money.pk, Movement.CLEAR)]
    # Tab two's plain save shows the conflict, with its own ticks still on the form.
    conflict = c.post(
        url("note_save", session), editor_data(opened_at, {repair: Movement.SETBACK}, c_subjective="Tab two")
    )
    assert conflict.status_code == 409
    page = BeautifulSoup(conflict.content, "html.parser")
    assert page.select_one(f"input[name=goal_{repair.code}]").has_attr("checked")
    assert not page.select_one(f"input[name=goal_{money.code}]").has_attr("checked")
    assert page.select_one("input[name=version]")["value"] == str(note.version)
    assert NoteGoal.objects.filter(note=note).count() == 1
