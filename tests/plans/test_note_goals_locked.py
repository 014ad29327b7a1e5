"""A signed note's goal links are in its signature and locked: by the app, and on PostgreSQL by trigger."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import IntegrityError, connection, transaction

from clinic.notes.models import SessionNote
from clinic.plans.models import Movement, NoteGoal
from tests.plans.progress_helpers import editor_data, make_session, open_note, sign, signed_plan, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_note(as_user, therapist, couple_case):
    plan = signed_plan(couple_case, therapist)
    c = as_user(therapist)
    session = make_session(couple_case, therapist)
    note = open_note(c, session)
    money = plan.goals.get(statement__contains="money")
    sign(c, session, note, {money: Movement.SOME})
    assert note.is_signed
    return c, session, note, plan


def test_the_signature_covers_the_goal_links(signed_note):
    _, _, note, _ = signed_note
    link = NoteGoal.objects.get(note=note)
    assert [str(link.goal.code), Movement.SOME] in json.loads(note.canonical())["goals"]
    assert note.verify()
    # A link changed behind the app's back (SQLite has no trigger) breaks the signature.
    if connection.vendor != "postgresql":
        NoteGoal.objects.filter(pk=link.pk).update(movement=Movement.CLEAR)
        assert not SessionNote.objects.get(pk=note.pk).verify()


def test_saving_a_signed_note_changes_no_link(signed_note):
    c, session, note, plan = signed_note
    repair = plan.goals.get(statement__contains="Repair")
    response = c.post(
        url("note_autosave", session),
        editor_data(note.version, {repair: Movement.CLEAR}),
        headers={"accept": "application/json"},
    )
    assert response.status_code == 409
    c.post(url("note_save", session), editor_data(note.version, {repair: Movement.CLEAR}))
    assert list(NoteGoal.objects.filter(note=note).values_list("goal__statement", "movement")) == [
        ("Name who decides about money, without blame", Movement.SOME)
    ]


def test_the_signed_note_shows_its_goals_read_only(signed_note):
    c, session, _, _ = signed_note
    page = BeautifulSoup(c.get(url("note_page", session)).content, "html.parser")
    assert page.select_one("#note-goals") is None and page.select_one("input[name^=goal_]") is None
    links = [li.get_text(" ", strip=True) for li in page.select("#note-goal-links li")]
    assert links == ["Name who decides about money, without blame : some movement (Naming power · plan version 1)"]


def test_the_sign_confirmation_lists_the_goals_it_will_lock(as_user, therapist, couple_case):
    plan = signed_plan(couple_case, therapist)
    c = as_user(therapist)
    session = make_session(couple_case, therapist)
    note = open_note(c, session)
    repair = plan.goals.get(statement__contains="Repair")
    c.post(url("note_save", session), editor_data(note.version, {repair: Movement.CLEAR}))
    page = BeautifulSoup(c.get(url("note_sign", session)).content, "html.parser")
    assert "Repair after arguments within a day" in page.select_one("#note-goal-links").get_text()


def test_the_database_refuses_to_change_a_signed_notes_links(signed_note):
    if connection.vendor != "postgresql":
        pytest.skip("the database triggers are PostgreSQL's")
    _, _, note, plan = signed_note
    repair = plan.goals.get(statement__contains="Repair")
    for statement, params in (
        ("UPDATE plans_notegoal SET movement = 'clear' WHERE note_id = %s", [note.pk]),
        ("DELETE FROM plans_notegoal WHERE note_id = %s", [note.pk]),
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    with pytest.raises(IntegrityError), transaction.atomic():
        NoteGoal.objects.create(note=note, goal=repair, movement=Movement.CLEAR)
    assert NoteGoal.objects.filter(note=note).count() == 1
