"""Closing a case withdraws the exercises its clients still had: a closed case asks nothing more of them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from clinic.plans.models import Assignment
from tests.plans.practice_helpers import assign_to

pytestmark = pytest.mark.django_db


def test_discharge_withdraws_each_partners_exercises_and_says_so(
    as_user, therapist, couple_case, person, partner, client_user
):
    mine = assign_to(couple_case, person, by=therapist)
    theirs = assign_to(couple_case, partner, by=therapist)
    staff = as_user(therapist)
    response = staff.post(
        reverse("case_discharge", kwargs={"code": couple_case.code}),
        {"discharged_on": timezone.localdate().isoformat(), "note": "Goals met."},
        follow=True,
    )
    assert "2 exercises in progress withdrawn" in response.content.decode()
    assert Assignment.objects.filter(pk__in=[mine.pk, theirs.pk], withdrawn_at__isnull=False).count() == 2
    events = AuditEvent.objects.filter(action=Action.EXERCISE_WITHDRAWN, detail__reason="discharge")
    assert {e.target_id for e in events} == {str(mine.code), str(theirs.code)}
    home = as_user(client_user).get(reverse("client_home")).content.decode()
    assert "Something to try this week" not in home
    assert as_user(client_user).get(reverse("my_practice", kwargs={"code": mine.code})).status_code == 404
