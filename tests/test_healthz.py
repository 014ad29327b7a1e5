from django.db import OperationalError, connection
from django.urls import reverse


def test_healthz_answers_ok_without_data(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "Set-Cookie" not in response.headers


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken_cursor)
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.content == b"unavailable\n"


def test_healthz_only_answers_get(client, db):
    assert client.post(reverse("healthz")).status_code == 405
