"""The dashboard's "Plans due for review": the same rule as PlanVersion.review_due(), for all cases at once."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone

from clinic.notes.models import TherapySession
from clinic.plans.models import Progress
from clinic.plans.planning import sign_version, start_review
from clinic.plans.reviews import plans_due_for_review
from tests.factories import local_noon_days_ago, make_case
from tests.plans.plan_pages import signed_plan

pytestmark = pytest.mark.django_db


def signed_days_ago(therapist, days: int, **kw):
    case = make_case(therapist=therapist, **kw)
    with time_machine.travel(local_noon_days_ago(days)):
        version = signed_plan(case, therapist)
    return case, version


def hold_sessions(case, therapist, n: int) -> None:
    for i in range(n):
        TherapySession.objects.create(
            case=case, starts_at=timezone.now() - timedelta(hours=i + 1), created_by=therapist, duration_minutes=50
        )


def test_due_by_days_or_by_sessions_as_review_due_says(therapist, colleague):
    by_days, old = signed_days_ago(therapist, settings.PLAN_REVIEW_DAYS)
    by_sessions, recent = signed_days_ago(therapist, 3)
    hold_sessions(by_sessions, therapist, settings.PLAN_REVIEW_SESSIONS)
    not_yet, _ = signed_days_ago(therapist, settings.PLAN_REVIEW_DAYS - 1)
    hold_sessions(not_yet, therapist, settings.PLAN_REVIEW_SESSIONS - 1)
    signed_days_ago(colleague, 400)  # another therapist's
    due = plans_due_for_review(therapist=therapist)
    assert [d["case"] for d in due] == [by_days, by_sessions]
    assert [d["reasons"] for d in due] == [old.review_due(), recent.review_due()]
    assert due[1]["reasons"] == [
        f"6 sessions since this plan was signed (review every {settings.PLAN_REVIEW_SESSIONS})."
    ]


def test_a_reviewed_plan_is_due_by_its_new_version_only(therapist):
    _, old = signed_days_ago(therapist, 200)
    review = start_review(plan=old.plan, by=therapist)
    due = plans_due_for_review(therapist=therapist)
    assert due[0]["review_draft"] is True and due[0]["version"] == old
    review.goals.update(progress=Progress.SOME, progress_evidence="Better")
    review.refresh_from_db()
    sign_version(version=review, by=therapist)
    assert plans_due_for_review(therapist=therapist) == []


def test_a_closed_case_is_not_listed(therapist):
    case, _ = signed_days_ago(therapist, 200)
    case.status, case.discharged_on = "closed", timezone.localdate()
    case.save(update_fields=["status", "discharged_on"])
    assert plans_due_for_review(therapist=therapist) == []


def test_two_queries_for_one_case_or_ten(therapist, colleague, django_assert_num_queries):
    signed_days_ago(therapist, 200)
    with django_assert_num_queries(2):
        assert len(plans_due_for_review(therapist=therapist)) == 1
    for _ in range(9):
        signed_days_ago(therapist, 200)
    with django_assert_num_queries(2):
        assert len(plans_due_for_review(therapist=therapist)) == 10


def test_the_dashboard_names_the_case(as_user, therapist):
    case, _ = signed_days_ago(therapist, 120)
    page = BeautifulSoup(as_user(therapist).get("/dashboard/").content, "html.parser")
    section = page.select_one(".plans-due")
    link = section.find("a")
    assert link["href"] == f"/cases/{case.code}/plan/" and case.label in link.text
    assert "120 days since this plan was signed" in section.text
