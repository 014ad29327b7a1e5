"""A plan signed earlier (on paper, or in the demo) records when: sign(at=...), as a session note's sign has."""

import pytest
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from clinic.plans.planning import sign_version, start_plan
from tests.factories import local_noon_days_ago
from tests.reports.plan_material import goal

pytestmark = pytest.mark.django_db


def test_a_plan_signed_at_a_past_time_keeps_that_time_and_its_hash(couple_case, therapist):
    version = start_plan(case=couple_case, by=therapist)
    goal(version, "Name who decides")
    when = local_noon_days_ago(100)
    sign_version(version=version, by=therapist, at=when)
    version.refresh_from_db()
    assert version.signed_at == when and version.is_signed and version.verify()
    assert version.review_due()[0].startswith("100 days since this plan was signed")
    assert AuditEvent.objects.filter(action=Action.PLAN_SIGNED, target_id=str(version.code)).exists()


def test_without_a_time_it_is_signed_now(couple_case, therapist):
    version = start_plan(case=couple_case, by=therapist)
    goal(version, "Name who decides")
    before = timezone.now()
    version.sign(by=therapist)
    assert before <= version.signed_at <= timezone.now()
