"""Check-ins under concurrency, on PostgreSQL: two tabs sending at once send once; both partners at once, one alert;
and the database itself refuses to change a sent check-in."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.http import QueryDict

from assessments import checkins
from assessments.models import BalanceAlert, SessionCheckIn
from clinic.audit.models import Action, AuditEvent
from tests.concurrency import at_once
from tests.factories import attended_session, checkins_sent

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and triggers need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 15


def filled(checkin, value: int) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update({item.id: str(value) for item in checkins.instrument_of(checkin).items})
    return data


def test_two_tabs_sending_at_once_send_once(therapist, couple_case, person):
    for round_ in range(ROUNDS):
        checkin = attended_session(couple_case, by=therapist, hours_ago=2 + round_).checkins.get(client=person)
        checkins.save_answers(checkin, filled(checkin, 6))
        results = at_once(*[lambda c=checkin: checkins.submit(SessionCheckIn.objects.get(pk=c.pk))] * 2)
        assert sorted(r.again for r in results) == [False, True], results
        assert AuditEvent.objects.filter(action=Action.SESSION_CHECKIN_SENT, target_id=str(checkin.code)).count() == 1


def test_both_partners_sending_at_once_raise_one_alert(therapist, couple_case, person, partner):
    checkins_sent(couple_case, therapist, {person: ("", 4), partner: ("", 9)})  # one session with a gap
    session = attended_session(couple_case, by=therapist, hours_ago=0.5)
    mine, theirs = session.checkins.get(client=person), session.checkins.get(client=partner)
    checkins.save_answers(mine, filled(mine, 4))
    checkins.save_answers(theirs, filled(theirs, 9))
    results = at_once(lambda: checkins.submit(mine), lambda: checkins.submit(theirs))
    assert not any(isinstance(r, Exception) for r in results), results
    assert BalanceAlert.objects.filter(client=person, reason="lower").count() == 1


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE assessments_sessioncheckin SET mean = 0 WHERE id = %s",
        "DELETE FROM assessments_sessioncheckin WHERE id = %s",
    ],
)
def test_postgresql_refuses_to_change_a_sent_check_in(therapist, couple_case, person, partner, sql):
    (session,) = checkins_sent(couple_case, therapist, {person: ("", 7), partner: ("", 7)})
    checkin = session.checkins.get(client=person)
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [checkin.pk])
    checkin.refresh_from_db()
    assert checkin.mean == 7.0
