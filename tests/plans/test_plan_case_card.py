"""The case page's plan card: write, continue, or the version in force with its review."""

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import timezone

from clinic.plans.planning import start_plan, start_review
from tests.factories import local_noon_days_ago
from tests.plans.plan_pages import signed_plan, url

pytestmark = pytest.mark.django_db


def card(http, case):
    page = BeautifulSoup(http.get(f"/cases/{case.code}/").content, "html.parser")
    return page.select_one(".case-plan")


def test_no_plan_offers_to_write_one(as_user, therapist, couple_case):
    section = card(as_user(therapist), couple_case)
    button = section.find("a", string="Write a treatment plan")
    assert button["href"] == url("plan_edit", couple_case)


def test_a_draft_is_continued(as_user, therapist, couple_case):
    start_plan(case=couple_case, by=therapist)
    section = card(as_user(therapist), couple_case)
    assert section.find("a", string="Continue the draft")["href"] == url("plan_edit", couple_case)
    assert "nothing is in force until it is signed" in section.text


def test_a_signed_plan_shows_its_version_date_and_review_due(as_user, therapist, couple_case):
    with time_machine.travel(local_noon_days_ago(100)):
        version = signed_plan(couple_case, therapist)
    section = card(as_user(therapist), couple_case)
    text = " ".join(section.text.split())
    assert f"Version 1, signed {timezone.localtime(version.signed_at):%B} " in text
    assert "Review due: 100 days since this plan was signed" in text
    assert section.find("a", string="Read the plan")["href"] == url("plan_detail", couple_case)
    start_review(plan=version.plan, by=therapist)
    assert card(as_user(therapist), couple_case).find("a", string="Continue the review") is not None


def test_the_supervisor_sees_only_the_link(as_user, therapist, supervisor, couple_case):
    therapist.supervisor = supervisor
    therapist.save(update_fields=["supervisor"])
    version = signed_plan(couple_case, therapist)
    start_review(plan=version.plan, by=therapist)
    section = card(as_user(supervisor), couple_case)
    assert [a.text for a in section.find_all("a")] == ["Read the plan"]
    assert "being written" not in section.text


def test_admins_do_not_see_the_card(as_user, admin_user, therapist, couple_case):
    signed_plan(couple_case, therapist)
    assert card(as_user(admin_user), couple_case) is None
