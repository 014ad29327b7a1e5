from django.core.management import call_command

from clinic.accounts.models import Role, User
from clinic.audit.models import AuditEvent
from clinic.clients.models import Case, Client
from clinic.demo import DEMO_PASSWORD


def counts():
    return (User.objects.count(), Client.objects.count(), Case.objects.count(), AuditEvent.objects.count())


def test_seed_demo_creates_the_documented_practice_and_is_idempotent(db, capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first == (8, 5, 3, 7)
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert "therapist1" in out and "client5" in out

    users = {u.username: u for u in User.objects.all()}
    assert users["admin"].role == Role.ADMIN
    assert users["therapist2"].is_supervisor
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())

    def case_of(username):
        return Case.objects.get(clients__user__username=username)

    assert case_of("client1") == case_of("client2")
    assert case_of("client1").primary_therapist.username == "therapist1"
    assert case_of("client3").primary_therapist.username == "therapist2"
    assert case_of("client5").kind == Case.Kind.INDIVIDUAL
    assert case_of("client5").primary_therapist.username == "therapist1"
