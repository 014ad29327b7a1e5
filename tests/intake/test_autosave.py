from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from intake.filling import MAX_RAW_LENGTH
from intake.models import Intake


def autosave(c, step, data, **extra):
    return c.post(reverse("intake_autosave", kwargs={"step": step}), data, HTTP_ACCEPT="application/json", **extra)


def test_autosave_keeps_every_character_even_when_not_yet_valid(as_user, client_user, person):
    typed = "Half a thought, with ünïcödé — and <b>markup</b> and\nnew lines"
    response = autosave(as_user(client_user), 4, {"reasons": typed, "goals": "", "previous_therapy": "maybe"})
    assert response.status_code == 200
    assert response.json()["saved"] is True
    stored = Intake.objects.get(client=person).answers["reasons"]
    assert stored["reasons"] == typed
    assert stored["previous_therapy"] == "maybe"


def test_a_section_page_shows_what_was_autosaved(as_user, client_user, person):
    c = as_user(client_user)
    autosave(c, 4, {"reasons": "Saved <script>alert(1)</script> text"})
    body = c.get(reverse("intake_section", kwargs={"step": 4})).content.decode()
    assert "Saved &lt;script&gt;alert(1)&lt;/script&gt; text" in body
    assert "<script>alert(1)</script>" not in body


def test_an_enormous_answer_is_refused_with_a_message_not_truncated(as_user, client_user, person):
    response = autosave(as_user(client_user), 4, {"reasons": "x" * (MAX_RAW_LENGTH + 1)})
    assert response.status_code == 400
    assert "too long" in response.json()["message"]
    assert not Intake.objects.get(client=person).answers.get("reasons")


def test_after_the_session_ends_autosave_answers_401_and_the_draft_survives(client, client_user, person):
    from tests.factories import PASSWORD

    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post(reverse("login"), {"username": "clientone", "password": PASSWORD})
        assert autosave(client, 4, {"reasons": "First part"}).status_code == 200
        clock.shift(timedelta(minutes=16))
        expired = autosave(client, 4, {"reasons": "First part and more"})
        assert expired.status_code == 401
        assert expired.json()["error"] == "signed_out"
        # Already signed out: still a 401 for scripts, not a redirect.
        assert autosave(client, 4, {"reasons": "First part and more"}).status_code == 401
        login = client.post(
            reverse("login"),
            {"username": "clientone", "password": PASSWORD, "next": reverse("intake_section", kwargs={"step": 4})},
        )
        assert login.url == reverse("intake_section", kwargs={"step": 4})
        page = client.get(login.url).content.decode()
    assert "First part" in page


def test_a_fresh_form_token_lets_an_open_page_save_after_signing_in_again(client_user, person):
    from django.test import Client as DjangoClient

    from tests.factories import PASSWORD

    strict = DjangoClient(enforce_csrf_checks=True)
    strict.get(reverse("login"))
    page_token = strict.cookies["csrftoken"].value
    strict.post(reverse("login"), {"username": "clientone", "password": PASSWORD, "csrfmiddlewaretoken": page_token})
    url = reverse("intake_autosave", kwargs={"step": 4})
    # Signing in rotated the token: the token of a page opened before is refused...
    stale = strict.post(url, {"reasons": "kept", "csrfmiddlewaretoken": page_token}, HTTP_ACCEPT="application/json")
    assert stale.status_code == 403
    # ...and the page fetches a fresh one and saves.
    fresh = strict.get(reverse("form_token"), HTTP_ACCEPT="application/json").json()["csrf"]
    saved = strict.post(url, {"reasons": "kept", "csrfmiddlewaretoken": fresh}, HTTP_ACCEPT="application/json")
    assert saved.status_code == 200
    assert Intake.objects.get(client=person).answers["reasons"]["reasons"] == "kept"


def test_autosave_is_private_and_post_only(as_user, client_user, partner_user, person, partner):
    c = as_user(client_user)
    assert c.get(reverse("intake_autosave", kwargs={"step": 1})).status_code == 405
    autosave(c, 1, {"legal_name": "Mine"})
    assert not Intake.objects.filter(client=partner).exists()
