"""The client summary's plan material costs a fixed number of queries, however many goals, assignments and check-ins."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clinic.plans.exercises import assign, draft_of, save_checkin, send_checkin
from clinic.releases.contents import build
from tests.plans.practice_helpers import an_exercise
from tests.reports.plan_material import make_plan

pytestmark = pytest.mark.django_db


def queries_of_build(case, client) -> int:
    with CaptureQueriesContext(connection) as captured:
        contents = build(case=case, client=client, options={"notes": "full"})
        assert contents.summary.plan_version is not None
    return len(captured)


def test_more_plan_material_costs_no_more_queries(couple_case, therapist, person, partner):
    make_plan(case=couple_case, therapist=therapist, person=person, partner=partner)
    before = queries_of_build(couple_case, person)
    today = timezone.localdate()
    for exercise in [an_exercise(title=f"Exercise {n}") for n in range(4)]:
        (assignment,) = assign(
            case=couple_case,
            clients=[person],
            exercise=exercise,
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=6),
            by=therapist,
        )
        send_checkin(checkin=save_checkin(checkin=draft_of(assignment), tried="yes", text="t", made_things_worse=False))
    assert queries_of_build(couple_case, person) == before
