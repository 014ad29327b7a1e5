"""The record export holds the client's plan material (shared goals under the release rule, own individual goals, own
assignments and sent check-ins) and never the other partner's (marker strings)."""

import pytest

from tests.releases.flow import authorize, export_url, json_of, release_through_review
from tests.reports.plan_material import OWN, PARTNERS, SHARED, SUMMARY, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(couple_case, therapist, person, partner):
    return make_plan(case=couple_case, therapist=therapist, person=person, partner=partner)


def exported(as_user, therapist, case, client) -> dict:
    return release_through_review(as_user(therapist), export_url(case, client), {"purpose": "client_request"})


def test_the_export_holds_own_plan_material_and_withholds_shared_goals_without_authorization(
    as_user, therapist, couple_case, person, plan
):
    released = exported(as_user, therapist, couple_case, person)
    data = json_of(released)
    assert data["schema_version"] == 3
    plan_data = data["treatment_plan"]
    assert plan_data["version"] == 2 and len(plan_data["content_hash"]) == 64
    assert plan_data["shared_goals"] is None
    assert "shared treatment goals are withheld" in plan_data["shared_goals_withheld"]
    (own,) = plan_data["own_goals"]
    assert OWN[0] in own["statement"] and own["progress"] == "some" and OWN[1] in own["progress_evidence"]
    (assignment,) = data["assignments"]
    assert assignment["personal_note"] == OWN[2]
    assert [c["text"] for c in assignment["checkins"]] == [OWN[3]]
    for text in released.values():
        assert SHARED[0] not in text and SHARED[1] not in text
        for marker in (*PARTNERS, SUMMARY):
            assert marker not in text


def test_the_export_carries_shared_goals_under_the_partners_authorization(
    as_user, therapist, couple_case, person, partner, plan
):
    authorize(case=couple_case, by_client=partner, to_client=person, scope="shared_material", recorder=therapist)
    released = exported(as_user, therapist, couple_case, person)
    data = json_of(released)
    shared = data["treatment_plan"]["shared_goals"]
    assert len(shared) == 4 and any(SHARED[0] in g["statement"] for g in shared)
    assert data["treatment_plan"]["shared_goals_withheld"] is None
    for text in released.values():
        for marker in (*PARTNERS, SUMMARY):
            assert marker not in text


def test_the_partners_export_holds_none_of_this_clients_material(as_user, therapist, couple_case, partner, plan):
    released = exported(as_user, therapist, couple_case, partner)
    assert PARTNERS[3] in released["json"]
    for text in released.values():
        for marker in OWN:
            assert marker not in text


def test_a_draft_checkin_is_not_exported(as_user, therapist, couple_case, person, plan):
    from clinic.plans.exercises import draft_of, save_checkin
    from clinic.plans.models import Assignment

    assignment = Assignment.objects.get(client=person)
    save_checkin(checkin=draft_of(assignment), tried="yes", text="UNSENT-DRAFT-1u1u", made_things_worse=False)
    released = exported(as_user, therapist, couple_case, person)
    assert "UNSENT-DRAFT-1u1u" not in released["json"] and "UNSENT-DRAFT-1u1u" not in released["pdf"]
