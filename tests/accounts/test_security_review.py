"""The security review's account checks, end to end.

A reset password still needs the second factor; sign-in and reset answer
alike whether or not an account exists; every step up in trust gets a new
session key; an account switched off mid-session is out on its next request.
"""

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse

from clinic.accounts.models import User
from tests.browserlike import BrowserLikeClient as DjangoClient
from tests.conftest import sign_in
from tests.factories import PASSWORD, current_code, make_device

NEW_PASSWORD = "tidal-basin-forty-lanterns"


def login(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def normalised(response) -> str:
    """The page without what differs by design between two requests: the CSRF token and the echoed username."""
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    body = re.sub(r'nonce="[^"]+"', "", body)
    return re.sub(r'name="username" value="[^"]*"', "", body)


def test_a_reset_password_still_needs_the_second_factor(client, therapist):
    device = make_device(therapist)
    client.post(reverse("password_reset"), {"name_or_email": therapist.email})
    link = re.search(r"http://testserver(/account/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert login(client, therapist.username, NEW_PASSWORD).status_code == 302
    blocked = client.get(reverse("dashboard"))
    assert blocked.status_code == 302 and blocked.url.startswith(reverse("two_factor_verify"))
    assert client.get(reverse("case_list")).url.startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert client.get(reverse("dashboard")).status_code == 200


def test_sign_in_answers_alike_for_a_wrong_password_and_an_unknown_name(client, client_user, settings):
    known = login(client, client_user.username, "not-the-password")
    unknown = login(DjangoClient(), "nobody-by-this-name", "not-the-password")
    assert known.status_code == unknown.status_code == 200
    assert normalised(known) == normalised(unknown)


def test_the_lockout_looks_the_same_for_unknown_names(client, client_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    known = [login(client, client_user.username, f"wrong-{n}") for n in range(3)][-1]
    unknown = [login(DjangoClient(), "nobody-by-this-name", f"wrong-{n}") for n in range(3)][-1]
    assert known.status_code == unknown.status_code == 429
    assert normalised(known) == normalised(unknown)


def test_password_reset_pages_answer_alike_for_unknown_addresses(client, therapist):
    known = client.post(reverse("password_reset"), {"name_or_email": therapist.email}, follow=True)
    unknown = DjangoClient().post(reverse("password_reset"), {"name_or_email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert normalised(known) == normalised(unknown)


def test_each_step_up_in_trust_gets_a_new_session_key(client, therapist):
    device = make_device(therapist)
    client.get(reverse("login"))
    anonymous_key = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    login(client, therapist.username)
    password_key = client.session.session_key
    client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    verified_key = client.session.session_key
    assert len({anonymous_key, password_key, verified_key}) == 3
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_client_switched_off_mid_session_is_out_on_the_next_request(couple_case, client_user):
    theirs = sign_in(DjangoClient(), client_user)
    assert theirs.get(reverse("client_home")).status_code == 200
    User.objects.filter(pk=client_user.pk).update(is_active=False)
    after = theirs.get(reverse("client_home"))
    assert after.status_code == 302 and after.url.startswith(reverse("login"))
    autosave = theirs.post(reverse("intake_autosave", kwargs={"step": 1}), "{}", content_type="application/json")
    assert autosave.status_code in (302, 401)


def test_a_name_longer_than_any_account_is_refused_like_a_wrong_one(client, client_user):
    # U+FDFA grows to 18 letters under NFKC: 20 of them become 360, past every column that stores a name.
    long_name = login(client, "\ufdfa" * 20, "not-the-password")
    wrong = login(DjangoClient(), "nobody-by-this-name", "not-the-password")
    assert long_name.status_code == wrong.status_code == 200
    assert normalised(long_name) == normalised(wrong)
