"""The cast every test can use.

An owning therapist with a couple case (client and partner), a colleague
therapist who does not own it, an outsider client from another case, a
supervisor, and a practice admin. Staff sessions are signed in with a
verified second factor, as in production.
"""

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.test import RequestFactory
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from clinic.accounts.models import Role, User
from clinic.clients.models import Case, Client
from tests.browserlike import BrowserLikeClient
from tests.factories import make_case, make_device, make_user


@pytest.fixture
def client():
    """Django's test client, following a form's answer-by-redirect as a browser does (tests/browserlike.py)."""
    return BrowserLikeClient()


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup, django_db_blocker):
    """Let the test database be dropped at the end of a PostgreSQL run.

    PostgreSQL refuses to drop a database with open sessions. Our pools are
    closed here; the live server's request threads can end without handing
    their pooled connection back, so any session still open on the test
    database is ended too (test infrastructure only: nothing else uses it).
    """
    yield
    for connection in connections.all(initialized_only=True):
        # Only a pool that was opened (reading `connection.pool` would open one).
        if connection.alias not in getattr(type(connection), "_connection_pools", {}):
            continue
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.close()
        connection.close_pool()


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Text messages stay in memory, as email does in mail.outbox; the list starts empty in every test."""
    from clinic.lib import sms

    settings.SMS_BACKEND = "clinic.lib.sms.LocmemBackend"
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (tested separately); tests need speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def therapist(db):
    return make_user(Role.THERAPIST, username="owner")


@pytest.fixture
def colleague(db):
    return make_user(Role.THERAPIST, username="colleague")


@pytest.fixture
def supervisor(db):
    return make_user(Role.THERAPIST, username="supervisor", is_supervisor=True)


@pytest.fixture
def admin_user(db):
    return make_user(Role.ADMIN, username="practiceadmin")


@pytest.fixture
def client_user(db):
    return make_user(Role.CLIENT, username="clientone")


@pytest.fixture
def partner_user(db):
    return make_user(Role.CLIENT, username="clienttwo")


@pytest.fixture
def outsider(db, colleague):
    """A client of another therapist's case."""
    user = make_user(Role.CLIENT, username="outsider")
    make_case(therapist=colleague, kind=Case.Kind.INDIVIDUAL, users=[user])
    return user


@pytest.fixture
def couple_case(therapist, client_user, partner_user):
    return make_case(therapist=therapist, users=[client_user, partner_user])


@pytest.fixture
def person(couple_case, client_user):
    """The client record of `client_user` in the couple case."""
    return Client.objects.get(user=client_user)


@pytest.fixture
def partner(couple_case, partner_user):
    return Client.objects.get(user=partner_user)


def sign_in(django_client, user):
    """Sign `user` in on the test client; staff also pass two-factor."""
    django_client.force_login(user)
    if user.is_staff_member:
        device = make_device(user)
        session = django_client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return django_client


@pytest.fixture
def as_user(client):
    """as_user(user) -> the test client signed in as that user."""

    def _as(user):
        return sign_in(client, user)

    return _as


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo practice, seeded once, and the real ids the rows use."""
    from django.conf import settings

    from assessments.models import RiskFlag, Screening
    from assessments.screenings import assign
    from clinic.clients.models import Case, Client
    from clinic.notes.models import SessionNote
    from clinic.reports.models import ReportJob
    from intake.invitations import send_invitation
    from intake.models import Inquiry

    hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        users = {u.username: u for u in User.objects.all()}
        couple = Case.objects.get(clients__user__username="client1")
        jo = Client.objects.get(user__username="client1")
        awaiting = SessionNote.objects.filter(session__case=couple, cosigned_at__isnull=True, signed_at__isnull=False)
        note = awaiting.order_by("-session__starts_at").first()
        job = ReportJob.objects.create(kind="practice", requested_by=users["therapist1"], options={})
        # Someone therapist1 is about to see, invited but without an account yet.
        newcomer = make_case(therapist=users["therapist1"], kind=Case.Kind.INDIVIDUAL).clients.get()
        request = RequestFactory().post("/")
        request.user = users["therapist1"]
        token = send_invitation(client=newcomer, by=users["therapist1"], request=request).link.rsplit("/", 2)[-2]
        # A conjoint session two hours ago: Jo's check-in waits (Sam's too: theirs only).
        from tests.factories import attended_session

        latest = attended_session(couple, by=users["therapist1"])
        from clinic.appointments.models import Appointment, ConsultationSlot

        booked = Appointment.objects.filter(case=couple, status="booked")
        ids = {
            "appointment": booked.filter(starts_at__lt=timezone.now()).get().code,
            "jo_alone": booked.filter(individual_client=jo).get().code,
            "slot": ConsultationSlot.objects.filter(therapist=users["therapist1"], status="open").first().code,
            "users": users,
            "case": couple.code,
            "client1": jo.code,
            "session": note.session.code,
            "screening": Screening.objects.filter(client=jo, submitted_at__isnull=False).first().code,
            "questions": assign(client=jo, key="power", by=users["therapist1"]).code,
            "flag": RiskFlag.objects.filter(client=jo).first().code,
            "checkin": latest.checkins.get(client=jo).code,
            "balance_alert": couple.balance_alerts.get().code,
            "staff": users["therapist1"].code,
            "inquiry": Inquiry.objects.first().code,
            "job": job.code,
            "token": token,
            "closed_case": Case.objects.get(clients__full_name="Alex Former").code,
        }
        yield ids
        transaction.set_rollback(True)
    settings.PASSWORD_HASHERS = hashers
