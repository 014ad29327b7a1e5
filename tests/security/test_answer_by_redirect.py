"""Client and public forms are answered by a redirect to the same address (POST, 303, GET).

A page that answers a POST in place is a history entry holding the POST
body: Back offers to send it again and Chromium writes it to its session
files. These tests use Django's plain client, which does not follow
redirects, to see the 303 itself; tests/browser/test_nothing_kept.py reads
Chromium's profile for what the redirect keeps out.
"""

import re
import time

import pytest
from django.test import Client as PlainClient
from django.urls import reverse

from assessments.screenings import assign
from clinic.middleware import HELD_ANSWER_KEY, HELD_ANSWER_MAX_AGE
from intake import inquiries
from tests.conftest import sign_in
from tests.intake.test_held_inquiries import GOOD

TYPED = "Zqtyped Marker"


def answered(http, url, data, *, marker):
    """POST `data`, expect 303 to the same address, then the answer on the GET, once."""
    sent = http.post(url, data)
    assert sent.status_code == 303, (url, sent.status_code)
    assert sent["Location"] == url
    assert marker not in sent.content.decode()
    answer = http.get(url)
    assert marker in answer.content.decode(), url
    assert "no-store" in answer["Cache-Control"]
    again = http.get(url)
    assert marker not in again.content.decode(), f"{url}: the answer came back a second time"
    return answer


@pytest.fixture
def plain(db):
    return PlainClient()


def test_public_forms_answer_by_redirect(plain, monkeypatch):
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)
    answered(plain, reverse("login"), {"username": TYPED, "password": "wrong"}, marker=TYPED)
    start = plain.get(reverse("inquiry_start")).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', start).group(1)
    unticked = {**GOOD, "started": started, "contact_value": TYPED, "consent_to_contact": ""}
    answered(plain, reverse("inquiry_start"), unticked, marker=TYPED)
    answer = answered(plain, reverse("self_check"), {"dec1": "9"}, marker="(not answered yet)")
    assert answer.status_code == 200


def test_the_self_check_result_is_a_redirect_too_and_its_visitor_session_goes(plain):
    data = {item_id: "4" for item_id in ("mon2", "fea1", "soc1", "dig1", "pre1")}
    data.update({"dec1": "2", "voi1": "0", "bou1": "0", "lab3": "0"})
    answered(plain, reverse("self_check"), data, marker="What your answers suggest")
    assert plain.cookies["sessionid"].value == ""


def test_a_clients_forms_answer_by_redirect(plain, client_user, person, therapist):
    sign_in(plain, client_user)
    answered(
        plain,
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": TYPED, "new_password2": "other"},
        marker="Your old password was entered incorrectly",
    )
    answered(plain, reverse("contact_choices"), {"may_call": "on", "phone": TYPED}, marker=TYPED)
    screening = assign(client=person, key="power", by=therapist)
    url = reverse("questions", kwargs={"code": screening.code})
    refused = answered(plain, url, {"dec1": "9"}, marker="One answer could not be read")
    assert refused.status_code == 400


def test_staff_pages_and_scripts_are_answered_as_before(as_user, therapist, client_user, person):
    staff = as_user(therapist)
    response = staff.post(reverse("password_change"), {"old_password": "wrong"})
    assert response.status_code == 200 and not hasattr(response, "answered_by_redirect")
    own = sign_in(PlainClient(), client_user)
    screening = assign(client=person, key="power", by=therapist)
    script = own.post(
        reverse("questions_save", kwargs={"code": screening.code}),
        {"dec1": "2"},
        headers={"Accept": "application/json"},
    )
    assert script.status_code != 303 and script["Content-Type"].startswith("application/json")


def test_the_answer_is_for_that_address_only_and_not_for_long(plain):
    plain.post(reverse("login"), {"username": TYPED, "password": "wrong"})
    assert TYPED not in plain.get(reverse("inquiry_start")).content.decode()
    # The other address did not take it; it still waits for its own, but not past its age.
    session = plain.session
    held = session[HELD_ANSWER_KEY]
    held[reverse("login")]["at"] = time.time() - HELD_ANSWER_MAX_AGE - 1
    session[HELD_ANSWER_KEY] = held
    session.save()
    late = plain.get(reverse("login"))
    assert late.status_code == 200 and TYPED not in late.content.decode()
    assert HELD_ANSWER_KEY not in plain.session


def test_quick_exit_takes_the_kept_answer_with_the_session(plain, client_user):
    sign_in(plain, client_user)
    plain.post(reverse("contact_choices"), {"may_call": "on", "phone": TYPED})
    plain.post(reverse("quick_exit"))
    page = plain.get(reverse("contact_choices"))
    assert TYPED not in page.content.decode()


def test_two_tabs_answered_at_once_each_get_their_own_page(plain, client_user, person):
    sign_in(plain, client_user)
    plain.post(reverse("password_change"), {"old_password": "wrong"})
    plain.post(reverse("contact_choices"), {"may_call": "on", "phone": TYPED})
    assert TYPED in plain.get(reverse("contact_choices")).content.decode()
    assert "Your old password was entered incorrectly" in plain.get(reverse("password_change")).content.decode()
    assert HELD_ANSWER_KEY not in plain.session
