"""A treatment plan's records: draft, sign (locked, hashed), review as a new version, database locks."""

import pytest
from django.db import IntegrityError, connection, transaction

from clinic.audit.models import Action, AuditEvent
from clinic.plans.models import Goal, PlanAcknowledgement, PlanRefused, PlanVersion, Progress
from clinic.plans.planning import acknowledge, sign_version, start_plan, start_review
from tests.factories import make_warning_sign

pytestmark = pytest.mark.django_db


def add_goal(version: PlanVersion, **kw) -> Goal:
    values = {
        "practice": Goal.Practice.NAMING_POWER,
        "statement": "Name who decides about money, without blame",
        "progress_shows": "Both can describe one money decision and who made it",
    }
    return Goal.objects.create(version=version, **{**values, **kw})


@pytest.fixture
def signed(couple_case, therapist):
    version = start_plan(case=couple_case, by=therapist)
    add_goal(version)
    add_goal(version, practice=Goal.Practice.REPAIR, statement="Repair after arguments within a day")
    sign_version(version=version, by=therapist)
    return version


def test_a_new_plan_is_a_draft_and_a_second_start_finds_it(couple_case, therapist):
    first = start_plan(case=couple_case, by=therapist)
    again = start_plan(case=couple_case, by=therapist)
    assert first.pk == again.pk
    assert first.status == PlanVersion.Status.DRAFT and first.number == 1


def test_a_plan_without_goals_cannot_be_signed(couple_case, therapist):
    version = start_plan(case=couple_case, by=therapist)
    with pytest.raises(PlanRefused, match="at least one goal"):
        sign_version(version=version, by=therapist)


def test_only_the_primary_therapist_signs(couple_case, therapist, colleague):
    version = start_plan(case=couple_case, by=therapist)
    add_goal(version)
    with pytest.raises(PlanRefused, match="primary therapist"):
        version.sign(by=colleague)


def test_signing_locks_and_hashes_what_is_stored(signed):
    signed.refresh_from_db()
    assert signed.is_signed and len(signed.content_hash) == 64
    assert signed.verify()
    with pytest.raises(PlanRefused, match="start a review"):
        start_plan(case=signed.plan.case, by=signed.signed_by)


def test_a_flagged_case_needs_the_safety_section_before_signing(couple_case, therapist, person):
    make_warning_sign(person, by=therapist, urgent_flag=True)
    version = start_plan(case=couple_case, by=therapist)
    add_goal(version)
    assert len(version.safety_reasons()) == 2
    with pytest.raises(PlanRefused, match="safety section"):
        sign_version(version=version, by=therapist)
    PlanVersion.objects.filter(pk=version.pk).update(
        safety_included=True,
        safety_individual_first=True,
        safety_conjoint_paused=True,
        safety_planning="Individual sessions first; a safety plan with the hotline numbers.",
    )
    version.refresh_from_db()
    sign_version(version=version, by=therapist)
    assert version.is_signed


def test_a_review_makes_a_new_version_and_leaves_the_old_one_as_it_was(signed, therapist):
    review = start_review(plan=signed.plan, by=therapist)
    assert review.number == 2 and review.reviews_id == signed.pk
    assert start_review(plan=signed.plan, by=therapist).pk == review.pk
    old = {(g.lineage, g.statement) for g in signed.goals.all()}
    assert {(g.lineage, g.statement) for g in review.goals.all()} == old
    with pytest.raises(PlanRefused, match="Mark the progress"):
        sign_version(version=review, by=therapist)
    review.goals.update(progress=Progress.SOME, progress_evidence="One money talk, calm")
    sign_version(version=review, by=therapist)
    assert signed.plan.in_force().pk == review.pk
    signed.refresh_from_db()
    assert signed.verify()
    assert not signed.goals.exclude(progress="").exists()


def test_a_client_acknowledges_once_and_only_when_asked(signed, couple_case, therapist, person):
    with pytest.raises(PlanRefused, match="nothing to acknowledge"):
        acknowledge(version=signed, client=person, typed_name="Robin")
    review = start_review(plan=signed.plan, by=therapist)
    review.goals.update(progress=Progress.MUCH, progress_evidence="Talks about money weekly")
    PlanVersion.objects.filter(pk=review.pk).update(ask_acknowledgement=True)
    review.refresh_from_db()
    sign_version(version=review, by=therapist)
    with pytest.raises(PlanRefused, match="Type your name"):
        acknowledge(version=review, client=person, typed_name="  ")
    first = acknowledge(version=review, client=person, typed_name=" Robin Hale ")
    again = acknowledge(version=review, client=person, typed_name="Robin")
    assert first.pk == again.pk and again.typed_name == "Robin Hale"
    assert AuditEvent.objects.filter(action=Action.PLAN_ACKNOWLEDGED, client=person).count() == 1


def test_the_database_refuses_to_change_a_signed_version_or_its_goals(signed, person):
    if connection.vendor != "postgresql":
        pytest.skip("the database triggers are PostgreSQL's")
    for statement in (
        "UPDATE plans_planversion SET concerns = 'changed' WHERE id = %s",
        "DELETE FROM plans_planversion WHERE id = %s",
        "UPDATE plans_goal SET statement = 'changed' WHERE version_id = %s",
        "DELETE FROM plans_goal WHERE version_id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [signed.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        add_goal(signed)
    ack = PlanAcknowledgement.objects.create(version=signed, client=person, typed_name="A")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE plans_planacknowledgement SET typed_name = 'B' WHERE id = %s", [ack.pk])
