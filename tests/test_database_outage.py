"""When the database is out of reach, people get a calm 503 page (scripts get JSON) and nothing breaks further."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.urls import reverse


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SessionStore, "load", refuse)


@pytest.fixture
def signed_in(as_user, client_user, couple_case):
    http = as_user(client_user)
    http.raise_request_exception = False
    return http


def test_a_page_says_to_try_again_in_a_moment(signed_in, database_down):
    response = signed_in.get(reverse("intake_section", kwargs={"step": 1}))
    assert response.status_code == 503 and response["Retry-After"] == "15"
    body = response.content.decode()
    assert "Please try again in a moment" in body and "what you typed is still there" in body
    assert "Traceback" not in body and "connection refused" not in body


def test_an_autosave_gets_json_it_can_act_on(signed_in, database_down):
    response = signed_in.post(
        reverse("intake_autosave", kwargs={"step": 4}), {"reasons": "typed"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"


def test_other_failures_stay_a_plain_500(signed_in, monkeypatch):
    def broken(self):
        raise RuntimeError("a bug")

    monkeypatch.setattr(SessionStore, "load", broken)
    response = signed_in.get(reverse("client_home"))
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()


def test_a_session_that_cannot_be_saved_is_an_outage_not_a_bad_request(signed_in, monkeypatch):
    """Seen in the restart drill: Django called this "session deleted by a concurrent request" (400)."""
    from clinic.middleware import SESSION_SEEN_KEY

    session = signed_in.session
    session[SESSION_SEEN_KEY] -= 60  # the request will record that the person was seen again
    session.save()

    def lost(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Session, "save", lost)
    response = signed_in.get(reverse("client_home"))
    assert response.status_code == 503 and response["Retry-After"] == "15"
    assert "Please try again in a moment" in response.content.decode()


def test_a_session_deleted_meanwhile_is_still_refused(client_user):
    """A session signed out elsewhere mid-request must not be silently recreated."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).delete()
    store["x"] = 2
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.filter(session_key=store.session_key).exists()
