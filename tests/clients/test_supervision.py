"""Supervision is an assignment: admins set who supervises whom; a supervisor sees their supervisees' urgent flags.

Only an active therapist marked as a supervisor can be chosen, never oneself,
and every change is audited. The dashboard lists the unresolved urgent flags
of the supervisees' open cases, and nothing of other therapists'; it runs the
same number of queries however many there are. What a supervisor may open
beyond that is unchanged (a later issue takes the rest of supervision).
"""

import pytest
from django.urls import reverse

from assessments.flags import raise_flag
from assessments.models import RiskFlag, WarningSign
from clinic.accounts.models import Role, User
from clinic.audit.models import Action, AuditEvent
from tests.factories import make_case, make_user


def urgent_flag(client, by):
    sign = WarningSign.objects.create(
        client=client, recorded_by=by, type="weapons", observed_on="2026-11-01", severity="severe",
        source="observed", description="Mentioned a gun in the house.", action_taken="safety_plan",
    )  # fmt: skip
    return raise_flag(
        client=client, severity=RiskFlag.Severity.URGENT, reasons=["warning_sign:weapons"], warning_sign=sign
    )


@pytest.fixture
def supervised(therapist, supervisor):
    therapist.supervisor = supervisor
    therapist.save(update_fields=["supervisor"])
    return therapist


def dashboard(c) -> str:
    return c.get(reverse("dashboard")).content.decode()


def test_a_supervisor_sees_a_supervisees_urgent_flag_and_not_others(
    as_user, supervised, supervisor, colleague, couple_case, person, partner
):
    urgent_flag(person, supervised)
    elsewhere = make_case(therapist=colleague, kind="individual").clients.get()
    urgent_flag(elsewhere, colleague)
    body = dashboard(as_user(supervisor))
    assert "Urgent flags of the therapists you supervise" in body
    assert person.display_name in body and str(supervised) in body
    assert elsewhere.display_name not in body and partner.display_name not in body
    # Seeing the flag opens nothing new: the client's record stays the treating therapist's.
    record = reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code})
    assert as_user(supervisor).get(record).status_code == 404
    assert "weapons" not in body and "gun" not in body


def test_a_resolved_flag_leaves_the_supervisors_list(as_user, supervised, supervisor, couple_case, person):
    flag = urgent_flag(person, supervised)
    flag.acknowledge(by=supervised, note="Seen.")
    assert person.display_name in dashboard(as_user(supervisor))
    flag.resolve(by=supervised, note="Plan in place.")
    assert person.display_name not in dashboard(as_user(supervisor))


def test_a_supervisor_not_assigned_sees_nothing(as_user, therapist, couple_case, person):
    other = make_user(Role.THERAPIST, username="other-supervisor", is_supervisor=True)
    urgent_flag(person, therapist)
    body = dashboard(as_user(other))
    assert person.display_name not in body and "None unresolved." in body


def test_a_therapist_who_is_not_a_supervisor_has_no_such_list(as_user, colleague):
    assert "therapists you supervise" not in dashboard(as_user(colleague))


def test_the_dashboard_runs_the_same_queries_for_one_or_many_supervised_flags(
    as_user, supervised, supervisor, couple_case, person, django_assert_num_queries
):
    c = as_user(supervisor)
    urgent_flag(person, supervised)
    c.get(reverse("dashboard"))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as once:
        c.get(reverse("dashboard"))
    for _ in range(5):
        case = make_case(therapist=supervised)
        for client in case.clients.all():
            urgent_flag(client, supervised)
    with django_assert_num_queries(len(once.captured_queries)):
        body = dashboard(c)
    assert body.count('class="badge text-bg-danger"') >= 11


# The staff form


def staff_data(member: User, **extra) -> dict:
    data = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "role": member.role,
        "supervisor": "",
    }
    return {**data, **extra}


def test_an_admin_assigns_a_supervisor_and_it_is_audited(as_user, admin_user, therapist, supervisor):
    url = reverse("staff_detail", kwargs={"code": therapist.code})
    response = as_user(admin_user).post(url, staff_data(therapist, supervisor=str(supervisor.pk)))
    assert response.status_code == 302
    therapist.refresh_from_db()
    assert therapist.supervisor == supervisor
    event = AuditEvent.objects.get(action=Action.SUPERVISION_CHANGED)
    assert (event.actor, event.target_id, event.detail) == (
        admin_user,
        str(therapist.code),
        {"supervisor": str(supervisor.code)},
    )
    as_user(admin_user).post(url, staff_data(therapist))
    therapist.refresh_from_db()
    assert therapist.supervisor is None
    assert AuditEvent.objects.filter(action=Action.SUPERVISION_CHANGED).count() == 2
    # Saving without a change records no supervision change.
    as_user(admin_user).post(url, staff_data(therapist))
    assert AuditEvent.objects.filter(action=Action.SUPERVISION_CHANGED).count() == 2


def test_a_new_therapist_can_be_given_a_supervisor_at_once(as_user, admin_user, supervisor):
    data = {"first_name": "Ana", "last_name": "New", "username": "ana", "email": "ana@example.org", "role": "therapist",
            "supervisor": str(supervisor.pk)}  # fmt: skip
    assert as_user(admin_user).post(reverse("staff_create"), data).status_code == 302
    assert User.objects.get(username="ana").supervisor == supervisor
    assert AuditEvent.objects.filter(action=Action.SUPERVISION_CHANGED).count() == 1


@pytest.mark.parametrize(
    "choice",
    [
        "colleague",
        "self",
        "admin_user",
        "inactive_supervisor",
        "client_user",
        "٣",
        "³",
        "1e3",
        "-1",
        "99999999999999999999",
    ],
)
def test_only_an_active_supervisor_other_than_oneself_can_be_chosen(
    request, as_user, admin_user, therapist, colleague, client_user, choice
):
    if choice in ("colleague", "admin_user", "client_user"):
        value = str(request.getfixturevalue(choice).pk)
    elif choice == "self":
        therapist.is_supervisor = True
        therapist.save(update_fields=["is_supervisor"])
        value = str(therapist.pk)
    elif choice == "inactive_supervisor":
        value = str(make_user(Role.THERAPIST, username="gone", is_supervisor=True, is_active=False).pk)
    else:
        value = choice
    url = reverse("staff_detail", kwargs={"code": therapist.code})
    response = as_user(admin_user).post(url, staff_data(therapist, supervisor=value))
    assert response.status_code == 200
    assert "Choose an active therapist marked as a supervisor, other than this person." in response.content.decode()
    therapist.refresh_from_db()
    assert therapist.supervisor is None
    assert not AuditEvent.objects.filter(action=Action.SUPERVISION_CHANGED).exists()


def test_an_admin_cannot_be_given_a_supervisor(as_user, admin_user, supervisor):
    other_admin = make_user(Role.ADMIN, username="admin2")
    url = reverse("staff_detail", kwargs={"code": other_admin.code})
    response = as_user(admin_user).post(url, staff_data(other_admin, supervisor=str(supervisor.pk)))
    assert "Only therapists have a supervisor" in response.content.decode()
    other_admin.refresh_from_db()
    assert other_admin.supervisor is None


def test_the_database_refuses_self_supervision(therapist):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=therapist.pk).update(supervisor=therapist)


@pytest.mark.parametrize("who", ["therapist", "supervisor", "client_user"])
def test_only_admins_change_supervision(request, as_user, therapist, supervisor, who):
    c = as_user(request.getfixturevalue(who))
    url = reverse("staff_detail", kwargs={"code": therapist.code})
    assert c.post(url, staff_data(therapist, supervisor=str(supervisor.pk))).status_code == 404
    therapist.refresh_from_db()
    assert therapist.supervisor is None
