"""The case page shows each goal's progress across sessions and reviews, drawn and in words, in fixed queries."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.plans.models import Movement, Progress
from clinic.plans.progress import case_progress_context
from tests.factories import make_case
from tests.plans.progress_helpers import grow_plan, make_session, signed_note, signed_plan, signed_review

pytestmark = pytest.mark.django_db


def case_page(c, case):
    response = c.get(reverse("case_detail", kwargs={"code": case.code}))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_each_goal_shows_its_movements_and_review_marks(as_user, therapist, couple_case, person):
    first = signed_plan(couple_case, therapist, person=person)
    money = first.goals.get(statement__contains="money")
    repair = first.goals.get(statement__contains="Repair")
    signed_note(make_session(couple_case, therapist, hours_ago=72), therapist, {money: Movement.SOME})
    signed_note(make_session(couple_case, therapist, hours_ago=48), therapist, {money: Movement.SETBACK})
    signed_review(first, therapist, progress=Progress.MUCH)
    page = case_page(as_user(therapist), couple_case)
    section = page.select_one("#goal-progress")
    words = [li.get_text(" ", strip=True) for li in section.select("li")]
    money_line = next(w for w in words if money.statement in w)
    assert "Naming power · Shared:" in money_line
    assert "worked on in 2 signed sessions (some movement: 1, set back: 1)" in money_line
    assert "much progress" in money_line
    repair_line = next(w for w in words if repair.statement in w)
    assert "not yet worked on in a signed session" in repair_line and "much progress" in repair_line
    assert any(f"{person.display_name}'s own" in w for w in words)
    svg = section.select_one("figure svg")
    assert svg["role"] == "img" and svg.find("title").get_text() == "Goals across sessions and reviews"
    desc = svg.find("desc").get_text()
    money_desc = next(part for part in desc.split("; ") if part.startswith(money.statement))
    assert "some movement" in money_desc and "set back" in money_desc and "the review of" in money_desc
    assert str(timezone.localdate().year) in money_desc
    assert money_desc.index("some movement") < money_desc.index("set back") < money_desc.index("much progress")


def test_a_draft_note_and_a_draft_review_are_not_progress(as_user, therapist, couple_case):
    from clinic.notes.writing import note_for
    from clinic.plans.models import NoteGoal
    from clinic.plans.planning import start_review

    first = signed_plan(couple_case, therapist)
    money = first.goals.get(statement__contains="money")
    draft = note_for(make_session(couple_case, therapist), author=therapist)
    NoteGoal.objects.create(note=draft, goal=money, movement=Movement.CLEAR)
    start_review(plan=first.plan, by=therapist).goals.update(progress=Progress.MET, progress_evidence="x")
    context = case_progress_context(case=couple_case, user=therapist)["progress"]
    assert all(not item.marks for item in context["goals"]) and context["chart"] is None
    assert "No signed session has worked on a goal yet" in str(case_page(as_user(therapist), couple_case))


def test_a_case_without_a_signed_plan_has_no_progress_section(as_user, therapist, couple_case):
    assert case_progress_context(case=couple_case, user=therapist) == {"progress": None}
    assert case_page(as_user(therapist), couple_case).select_one("#goal-progress") is None


@pytest.mark.parametrize("part", ["section", "page"])
def test_the_progress_takes_the_same_queries_at_ten_times_the_data(as_user, therapist, django_assert_num_queries, part):
    small, large = make_case(therapist=therapist), make_case(therapist=therapist)
    grow_plan(small, therapist, times=1)
    grow_plan(large, therapist, times=10)
    c = as_user(therapist)

    def run(case):
        if part == "section":
            return case_progress_context(case=case, user=therapist)
        return case_page(c, case)

    run(small)
    with CaptureQueriesContext(connection) as once:
        run(small)
    with django_assert_num_queries(len(once.captured_queries)):
        run(large)
    if part == "section":
        assert len(once.captured_queries) == 2
        assert len(run(large)["progress"]["goals"]) == 20
