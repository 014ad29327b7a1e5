"""When a review replaces the plan: signed notes keep their version's goals; a draft keeps its links, shown as older."""

import pytest
from bs4 import BeautifulSoup

from clinic.plans.models import Movement, NoteGoal
from tests.plans.progress_helpers import editor_data, make_session, open_note, sign, signed_plan, signed_review, url

pytestmark = pytest.mark.django_db


def test_a_signed_note_keeps_pointing_at_the_version_it_was_written_against(as_user, therapist, couple_case):
    first = signed_plan(couple_case, therapist)
    money = first.goals.get(statement__contains="money")
    c = as_user(therapist)
    session = make_session(couple_case, therapist, hours_ago=30)
    note = open_note(c, session)
    sign(c, session, note, {money: Movement.SOME})
    signed_hash = note.content_hash
    second = signed_review(first, therapist)
    link = NoteGoal.objects.select_related("goal__version").get(note=note)
    assert link.goal.version == first and link.goal_id == money.pk
    assert second.goals.get(lineage=money.lineage).pk != money.pk
    note.refresh_from_db()
    assert note.verify() and note.content_hash == signed_hash
    # A new note is written against the version in force.
    later = make_session(couple_case, therapist)
    html = c.get(url("note_page", later)).content.decode()
    assert "Plan goals (version 2)" in html


def test_a_draft_keeps_its_links_to_a_replaced_version_and_offers_the_current_goals(as_user, therapist, couple_case):
    first = signed_plan(couple_case, therapist)
    money = first.goals.get(statement__contains="money")
    c = as_user(therapist)
    session = make_session(couple_case, therapist)
    note = open_note(c, session)
    c.post(url("note_save", session), editor_data(note.version, {money: Movement.SOME}))
    second = signed_review(first, therapist)
    current_money = second.goals.get(lineage=money.lineage)
    page = BeautifulSoup(c.get(url("note_page", session)).content, "html.parser")
    headings = [h.get_text(strip=True) for h in page.select("#note-goals h3")]
    assert headings == ["Shared goals", "From plan version 1 (since replaced by a review)"]
    assert page.select_one(f"input[name=goal_{money.code}]").has_attr("checked")
    assert not page.select_one(f"input[name=goal_{current_money.code}]").has_attr("checked")
    old_row = page.select_one(f"[data-goal='{money.code}']").get_text(" ", strip=True)
    assert "The plan in force has this goal too" in old_row
    # The therapist moves the link to the version in force: untick the old, tick the current.
    note.refresh_from_db()
    c.post(url("note_save", session), editor_data(note.version, {current_money: Movement.SOME}))
    assert list(NoteGoal.objects.filter(note=note).values_list("goal__version__number", flat=True)) == [2]
    page = BeautifulSoup(c.get(url("note_page", session)).content, "html.parser")
    assert page.select_one(f"input[name=goal_{money.code}]") is None
