"""A supervisor reads a supervisee's signed plan — concerns, shared goals, safety section — but not either
partner's own goals, which are part of that partner's record (clinic/accounts/reach.py says so; these pages
follow it)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from clinic.plans.models import PlanVersion
from clinic.plans.planning import sign_version, start_plan
from tests.plans.plan_pages import make_goal, url
from tests.plans.progress_helpers import MARK_A, MARK_B

pytestmark = pytest.mark.django_db

WITHHELD = "Each partner's own goals are part of that partner's record"


@pytest.fixture
def supervising(therapist, supervisor):
    therapist.supervisor = supervisor
    therapist.save(update_fields=["supervisor"])
    return supervisor


@pytest.fixture
def plan(couple_case, therapist, person, partner) -> PlanVersion:
    """Version 1, signed, flagged-case style: concerns, a safety section, a shared goal and each partner's own."""
    version = start_plan(case=couple_case, by=therapist)
    PlanVersion.objects.filter(pk=version.pk).update(
        concerns="Arguments about money (Cinderwick).",
        safety_included=True,
        safety_individual_first=True,
        safety_planning="Individual sessions first (Brackenfold).",
    )
    make_goal(version, statement="Shared goal (Tallowmere)")
    make_goal(version, client=person, statement=f"Own goal ({MARK_A})", progress_shows=f"Shows ({MARK_A})")
    make_goal(version, client=partner, statement=f"Own goal ({MARK_B})", progress_shows=f"Shows ({MARK_B})")
    version.refresh_from_db()
    sign_version(version=version, by=therapist)
    return version


@pytest.mark.parametrize("name, kw", [("plan_detail", {}), ("plan_version", {"number": 1})])
def test_the_supervisor_reads_the_plan_without_either_partners_own_goals(
    as_user, plan, couple_case, supervising, name, kw
):
    response = as_user(supervising).get(url(name, couple_case, **kw))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    text = page.get_text(" ", strip=True)
    assert "Cinderwick" in text and "Brackenfold" in text and "Tallowmere" in text
    assert MARK_A not in response.content.decode() and MARK_B not in response.content.decode()
    assert WITHHELD in page.select_one(".own-goals-withheld").get_text(" ", strip=True)
    assert page.select(".partner-goals-label") == []
    event = AuditEvent.objects.filter(action=Action.PLAN_VIEWED, actor=supervising).latest("id")
    assert event.detail == {"as": "supervisor"}


@pytest.mark.parametrize("name, kw", [("plan_detail", {}), ("plan_version", {"number": 1})])
def test_the_treating_therapist_reads_every_goal(as_user, plan, couple_case, therapist, person, name, kw):
    response = as_user(therapist).get(url(name, couple_case, **kw))
    body = response.content.decode()
    assert MARK_A in body and MARK_B in body and "Tallowmere" in body
    assert "own-goals-withheld" not in body
    labels = [p.get_text(strip=True) for p in BeautifulSoup(body, "html.parser").select(".partner-goals-label")]
    assert f"{person.display_name}'s own goals" in labels


def test_the_case_page_progress_leaves_out_the_own_goals_for_the_supervisor(
    as_user, plan, couple_case, supervising, therapist
):
    case_url = reverse("case_detail", kwargs={"code": couple_case.code})
    supervisor_section = BeautifulSoup(as_user(supervising).get(case_url).content, "html.parser").select_one(
        "#goal-progress"
    )
    words = supervisor_section.get_text(" ", strip=True)
    assert "Tallowmere" in words and MARK_A not in words and MARK_B not in words
    therapist_section = BeautifulSoup(as_user(therapist).get(case_url).content, "html.parser").select_one(
        "#goal-progress"
    )
    words = therapist_section.get_text(" ", strip=True)
    assert "Tallowmere" in words and MARK_A in words and MARK_B in words


def test_an_individual_case_plan_says_nothing_is_withheld(as_user, therapist, supervising):
    from tests.factories import make_case

    case = make_case(therapist=therapist, kind="individual")
    version = start_plan(case=case, by=therapist)
    make_goal(version, statement="Own words (Gorsebrook)")
    sign_version(version=version, by=therapist)
    body = as_user(supervising).get(url("plan_detail", case)).content.decode()
    # An individual client's goals are the plan's shared goals: the supervisor reads them.
    assert "Gorsebrook" in body and "own-goals-withheld" not in body
