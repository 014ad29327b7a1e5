"""When the database is out of reach, people get a calm 503 page (scripts get JSON) and nothing breaks further."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
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
