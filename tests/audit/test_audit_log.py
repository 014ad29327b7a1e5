from datetime import UTC, timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from clinic.audit.events import record
from clinic.audit.models import Action, AuditEvent


def test_the_app_never_changes_or_deletes_an_event(therapist):
    event = record(action=Action.LOGIN, actor=therapist)
    event.action = Action.LOGOUT
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.LOGOUT)
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == Action.LOGIN


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'logout' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_postgresql_refuses_update_and_delete(therapist, sql):
    event = record(action=Action.LOGIN, actor=therapist)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == Action.LOGIN


def test_an_admin_browses_and_filters_the_log(as_user, admin_user, therapist, colleague):
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        record(action=Action.LOGIN, actor=colleague)
    record(action=Action.LOGIN, actor=therapist)
    record(action=Action.LOGIN_FAILED, actor=therapist, detail={"username": "owner"})
    client = as_user(admin_user)

    events = client.get(reverse("audit_log")).context["events"]
    assert [(e.actor, e.action) for e in events if e.actor != admin_user] == [
        (therapist, Action.LOGIN_FAILED),
        (therapist, Action.LOGIN),
        (colleague, Action.LOGIN),
    ]

    by_person = client.get(reverse("audit_log"), {"actor": "OWNER"}).context["events"]
    assert {e.actor for e in by_person} == {therapist}

    by_action = client.get(reverse("audit_log"), {"action": Action.LOGIN_FAILED}).context["events"]
    assert [e.actor for e in by_action] == [therapist]

    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    recent = client.get(reverse("audit_log"), {"date_from": since, "actor": "colleague"}).context["events"]
    assert recent == []
    older = client.get(reverse("audit_log"), {"date_to": since, "actor": "colleague"}).context["events"]
    assert len(older) == 1


def test_the_log_pages_by_older_events(as_user, admin_user, therapist):
    for _ in range(60):
        record(action=Action.LOGIN, actor=therapist)
    client = as_user(admin_user)
    first = client.get(reverse("audit_log"), {"actor": "owner"})
    assert len(first.context["events"]) == 50
    older = first.context["older"]
    assert f'href="?{older}"' in first.content.decode().replace("&amp;", "&")
    second = client.get(reverse("audit_log") + "?" + older)
    assert len(second.context["events"]) == 10
    assert not {e.id for e in first.context["events"]} & {e.id for e in second.context["events"]}
    assert second.context["older"] == ""


def test_the_older_link_hands_out_no_row_id(as_user, admin_user, therapist):
    # Consecutive ids of the rows shown would count, in their gaps, the rows an admin does not see.
    for _ in range(55):
        record(action=Action.LOGIN, actor=therapist)
    first = as_user(admin_user).get(reverse("audit_log"), {"actor": "owner"})
    older = QueryDict(first.context["older"])
    ids = {str(e.id) for e in AuditEvent.objects.all()}
    assert older["actor"] == "owner" and not ids & set(older.values())
    assert older["before"] == first.context["events"][-1].at.astimezone(UTC).isoformat()


def test_rows_of_one_instant_are_never_split_between_pages(as_user, admin_user, therapist):
    now = timezone.now()
    for minutes, count in ((-1, 20), (0, 60), (1, 40)):
        with time_machine.travel(now + timedelta(minutes=minutes), tick=False):
            for _ in range(count):
                record(action=Action.LOGIN, actor=therapist)
    client = as_user(admin_user)
    first = client.get(reverse("audit_log"), {"actor": "owner"})
    # The 40 newest, then the 60 of the instant the 50th row shares.
    assert len(first.context["events"]) == 100
    second = client.get(reverse("audit_log") + "?" + first.context["older"])
    assert len(second.context["events"]) == 20 and second.context["older"] == ""
    seen = [e.id for e in first.context["events"]] + [e.id for e in second.context["events"]]
    assert sorted(seen) == sorted(AuditEvent.objects.filter(actor=therapist).values_list("id", flat=True))


def test_a_reversed_date_range_is_explained(as_user, admin_user):
    response = as_user(admin_user).get(reverse("audit_log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "The end date is before the start date" in response.content.decode()


def test_viewing_the_log_is_itself_audited(as_user, admin_user):
    as_user(admin_user).get(reverse("audit_log"))
    assert AuditEvent.objects.filter(action=Action.AUDIT_VIEWED, actor=admin_user).count() == 1


@pytest.mark.parametrize("who", ["therapist", "supervisor", "client_user"])
def test_only_admins_browse_the_log(request, as_user, who):
    assert as_user(request.getfixturevalue(who)).get(reverse("audit_log")).status_code == 404


def test_the_log_page_runs_a_fixed_number_of_queries(as_user, admin_user, therapist, django_assert_max_num_queries):
    client = as_user(admin_user)
    record(action=Action.LOGIN, actor=therapist)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("audit_log"))
    for _ in range(40):
        record(action=Action.LOGIN, actor=therapist)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("audit_log"))
