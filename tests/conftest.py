"""The cast every test can use.

An owning therapist with a couple case (client and partner), a colleague
therapist who does not own it, an outsider client from another case, a
supervisor, and a practice admin. Staff sessions are signed in with a
verified second factor, as in production.
"""

import pytest
from django.db import connections
from django_otp import DEVICE_ID_SESSION_KEY

from clinic.accounts.models import Role
from clinic.clients.models import Case
from tests.factories import make_case, make_device, make_user


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
