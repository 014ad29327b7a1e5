"""Who may use the plan pages: the treating therapist writes; their supervisor reads; everyone else gets 404."""

import pytest

from clinic.audit.models import Action, AuditEvent
from clinic.plans.models import PlanVersion
from clinic.plans.planning import start_plan, start_review
from tests.plans.plan_pages import editor_data, signed_plan, url

pytestmark = pytest.mark.django_db

READS = [("plan_detail", {}), ("plan_version", {"number": 1})]
WRITES_GET = ["plan_edit", "plan_sign"]
WRITES_POST = ["plan_edit", "plan_autosave", "plan_sign", "plan_review_start"]


@pytest.fixture
def plan(couple_case, therapist, person, partner):
    return signed_plan(couple_case, therapist, goals=2, partners=[person, partner])


@pytest.fixture
def supervising(therapist, supervisor):
    therapist.supervisor = supervisor
    therapist.save(update_fields=["supervisor"])
    return supervisor


def rows_after(action):
    return AuditEvent.objects.filter(action=action).count()


@pytest.mark.parametrize("who", ["colleague", "admin_user", "client_user", "partner_user", "outsider"])
def test_others_get_404_everywhere_and_change_nothing(request, as_user, plan, couple_case, who):
    http = as_user(request.getfixturevalue(who))
    versions, events = PlanVersion.objects.count(), AuditEvent.objects.count()
    for name, kw in READS:
        assert http.get(url(name, couple_case, **kw)).status_code == 404, name
    for name in WRITES_GET:
        assert http.get(url(name, couple_case)).status_code == 404, name
    for name in WRITES_POST:
        assert http.post(url(name, couple_case), editor_data(plan)).status_code == 404, name
    assert PlanVersion.objects.count() == versions and AuditEvent.objects.count() == events


def test_a_supervisor_who_is_not_assigned_gets_404(as_user, plan, couple_case, supervisor):
    http = as_user(supervisor)
    assert http.get(url("plan_detail", couple_case)).status_code == 404


def test_the_supervisor_reads_read_only_and_it_is_audited_as_such(as_user, plan, couple_case, supervising, therapist):
    http = as_user(supervising)
    response = http.get(url("plan_detail", couple_case))
    assert response.status_code == 200
    text = response.content.decode()
    assert "as their supervisor, read-only" in text and "Shared goal 0" in text
    assert 'id="start-review"' not in text and 'id="continue-draft"' not in text
    event = AuditEvent.objects.filter(action=Action.PLAN_VIEWED).latest("id")
    assert event.actor == supervising and event.detail == {"as": "supervisor"} and event.target_id == str(plan.code)
    assert http.get(url("plan_version", couple_case, number=1)).status_code == 200
    for name in WRITES_GET:
        assert http.get(url(name, couple_case)).status_code == 404, name
    for name in WRITES_POST:
        assert http.post(url(name, couple_case), editor_data(plan)).status_code == 404, name
    assert not PlanVersion.objects.filter(status=PlanVersion.Status.DRAFT).exists()


def test_the_supervisor_does_not_see_a_draft(as_user, plan, couple_case, supervising, therapist):
    start_review(plan=plan.plan, by=therapist)
    http = as_user(supervising)
    assert "Version 2" not in http.get(url("plan_detail", couple_case)).content.decode()
    assert http.get(url("plan_version", couple_case, number=2)).status_code == 404


def test_wrong_methods_answer_405(as_user, therapist, couple_case, plan):
    http = as_user(therapist)
    for name, kw in READS:
        assert http.post(url(name, couple_case, **kw)).status_code == 405, name
    for name in ["plan_autosave", "plan_review_start"]:
        assert http.get(url(name, couple_case)).status_code == 405, name
    for name in ["plan_edit", "plan_sign"]:
        assert http.put(url(name, couple_case)).status_code == 405, name


def test_anonymous_visitors_are_sent_to_sign_in(client, couple_case, therapist):
    start_plan(case=couple_case, by=therapist)
    response = client.get(url("plan_detail", couple_case))
    assert response.status_code == 302 and "/account/login/" in response.url


def test_a_closed_case_plan_cannot_be_written(as_user, therapist, couple_case):
    from django.utils import timezone

    couple_case.status, couple_case.discharged_on = "closed", timezone.localdate()
    couple_case.save(update_fields=["status", "discharged_on"])
    http = as_user(therapist)
    response = http.get(url("plan_edit", couple_case))
    assert response.status_code == 302 and response.url == f"/cases/{couple_case.code}/"
    assert not PlanVersion.objects.exists()
