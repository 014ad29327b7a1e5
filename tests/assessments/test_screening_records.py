import pytest
from django.db import IntegrityError, connection, transaction

from assessments.models import RiskFlag, Screening, ScreeningLocked, WarningSign


def make_screening(person, **kw) -> Screening:
    return Screening.objects.create(client=person, instrument_key="power", instrument_version=1, **kw)


def test_a_submitted_screening_keeps_its_scores_and_refuses_changes(person):
    screening = make_screening(person)
    screening.save_answers({"d1": "2"})
    assert screening.mark_submitted(scores={"index": 40.0}, result="some_imbalance") is True
    assert screening.mark_submitted(scores={"index": 99.0}, result="marked_imbalance") is False
    screening.refresh_from_db()
    assert (screening.scores, screening.result) == ({"index": 40.0}, "some_imbalance")
    with pytest.raises(ScreeningLocked):
        screening.save_answers({"d1": "4"})


def test_only_one_unfinished_screening_per_instrument(person):
    make_screening(person)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_screening(person)


def test_a_rescreen_is_a_new_row_after_submission(person):
    first = make_screening(person)
    first.mark_submitted(scores={"index": 10.0}, result="balanced")
    second = make_screening(person)
    assert second.pk != first.pk
    assert Screening.objects.filter(client=person).submitted().count() == 1


def test_a_submitted_screening_needs_scores_in_the_database(person):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_screening(person, status=Screening.Status.SUBMITTED)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE assessments_screening SET scores = '{\"index\": 0}' WHERE id = %s",
        "DELETE FROM assessments_screening WHERE id = %s",
    ],
)
def test_postgresql_refuses_to_change_a_submitted_screening(person, sql):
    screening = make_screening(person)
    screening.mark_submitted(scores={"index": 40.0}, result="some_imbalance")
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [screening.pk])
    screening.refresh_from_db()
    assert screening.scores == {"index": 40.0}


def test_a_flag_goes_open_acknowledged_resolved_in_order(person, therapist):
    screening = make_screening(person)
    flag = RiskFlag.objects.create(client=person, severity="urgent", screening=screening, reasons=["R1"])
    with pytest.raises(Exception, match="Acknowledge the flag before resolving it"):
        flag.resolve(by=therapist, note="too early")
    flag.acknowledge(by=therapist, note="Called client; safe plan in place.")
    with pytest.raises(Exception, match="Only an open flag"):
        flag.acknowledge(by=therapist, note="again")
    flag.resolve(by=therapist, note="Individual sessions started.")
    flag.refresh_from_db()
    assert (flag.status, flag.acknowledged_by, flag.resolved_by) == ("resolved", therapist, therapist)
    assert flag.acknowledge_note == "Called client; safe plan in place."


def test_a_flag_needs_a_source(person):
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskFlag.objects.create(client=person, severity="urgent")


def test_warning_sign_choices_are_enforced_by_the_database(person, therapist):
    with pytest.raises(IntegrityError), transaction.atomic():
        WarningSign.objects.create(
            client=person,
            type="made_up",
            observed_on="2026-11-01",
            severity="severe",
            source="observed",
            description="x",
            action_taken="none_yet",
            recorded_by=therapist,
        )
