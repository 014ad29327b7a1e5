"""Over a limit, a Get started message is kept and held for review, and the sender cannot tell.

Someone sharing a connection or a device must not learn from the answer
that another person wrote, nor be able to stop them writing.
"""

import re
import time

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from clinic.audit.models import Action, AuditEvent
from intake import inquiries
from intake.models import Inquiry
from tests.browserlike import BrowserLikeClient as HttpClient
from tests.intake.test_get_started import GOOD
from tests.timing import assert_same_time

THANKS = reverse("inquiry_thanks")


@pytest.fixture(autouse=True)
def _limits(monkeypatch, settings):
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)
    settings.INQUIRY_LIMIT_PER_HOUR = 2
    settings.INQUIRY_SESSION_LIMIT_PER_HOUR = 50
    settings.INQUIRY_GLOBAL_LIMIT_PER_HOUR = 50
    settings.INQUIRY_HELD_LIMIT_PER_HOUR = 50


def send(http, data=None, ip="203.0.113.7"):
    body = http.get(reverse("inquiry_start")).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', body).group(1)
    return http.post(reverse("inquiry_start"), {**GOOD, "started": started, **(data or {})}, REMOTE_ADDR=ip)


def answer(response) -> dict:
    """Everything the sender's browser gets back, less what differs on every request by design."""
    cookies = {name: {k: v for k, v in morsel.items() if v} for name, morsel in response.cookies.items()}
    headers = {k: v for k, v in response.headers.items() if k not in ("Set-Cookie", "Date")}
    return {"status": response.status_code, "headers": headers, "body": response.content, "cookies": cookies}


def test_a_message_over_the_address_limit_is_kept_held_and_answered_alike(db):
    first = HttpClient()
    accepted = [send(HttpClient()) for _ in range(2)][-1]
    held = send(first, {"name": "Second person"})
    assert answer(held) == answer(accepted)
    assert held.url == THANKS
    inquiry = Inquiry.objects.get(name="Second person")
    assert (inquiry.status, inquiry.held_reason, inquiry.message) == ("held", "address", GOOD["message"])
    event = AuditEvent.objects.get(action=Action.INQUIRY_HELD)
    assert (event.target_id, event.detail, event.ip, event.actor) == (
        str(inquiry.code),
        {"reason": "address"},
        None,
        None,
    )
    # The thank-you page is the same page too.
    assert first.get(THANKS).content == HttpClient().get(THANKS).content


def test_the_answer_sets_the_same_cookies_whether_held_or_not(db, settings):
    settings.INQUIRY_LIMIT_PER_HOUR = 1
    accepted = send(HttpClient(), ip="198.51.100.1")
    held = send(HttpClient(), ip="198.51.100.1")
    assert Inquiry.objects.filter(status="held").count() == 1
    assert set(accepted.cookies) == set(held.cookies) and "sessionid" in held.cookies


def test_one_browser_over_its_limit_is_held(client, db, settings):
    settings.INQUIRY_SESSION_LIMIT_PER_HOUR = 2
    settings.INQUIRY_LIMIT_PER_HOUR = 50
    for n in range(3):
        assert send(client, {"name": f"N{n}"}, ip=f"198.51.100.{n}").url == THANKS
    assert Inquiry.objects.get(name="N2").held_reason == "session"
    assert Inquiry.objects.filter(status="open").count() == 2


def test_over_the_practice_wide_limit_everything_is_held(db, settings):
    settings.INQUIRY_GLOBAL_LIMIT_PER_HOUR = 3
    settings.INQUIRY_LIMIT_PER_HOUR = 50
    for n in range(5):
        assert send(HttpClient(), {"name": f"N{n}"}, ip=f"198.51.100.{n}").url == THANKS
    assert list(Inquiry.objects.filter(status="held").values_list("held_reason", flat=True)) == ["global", "global"]


def test_past_the_held_cap_a_flood_is_no_longer_stored_but_still_thanked(db, settings):
    settings.INQUIRY_GLOBAL_LIMIT_PER_HOUR = 1
    settings.INQUIRY_HELD_LIMIT_PER_HOUR = 2
    for n in range(5):
        assert send(HttpClient(), {"name": f"N{n}"}, ip=f"198.51.100.{n}").url == THANKS
    assert Inquiry.objects.filter(status="open").count() == 1
    assert Inquiry.objects.filter(status="held").count() == 2


def test_invalid_forms_neither_count_nor_reveal_the_limit(client, db):
    for _ in range(5):
        response = send(client, {"contact_value": "ring me"})
        assert response.status_code == 200
        assert "limit" not in response.content.decode().lower()
    assert Inquiry.objects.count() == 0
    assert send(client).url == THANKS
    assert Inquiry.objects.get().status == "open"
    # Over the limit, an invalid form still just shows its errors, with what was typed.
    send(HttpClient())
    late = send(HttpClient(), {"consent_to_contact": ""})
    assert late.status_code == 200 and "Tick the box so we may contact you" in late.content.decode()
    assert Inquiry.objects.count() == 2


def test_the_limited_page_is_gone(client, db):
    for _ in range(6):
        response = send(client)
        assert response.status_code == 302 and response.url == THANKS
    assert "try again" not in client.get(THANKS).content.decode().lower()


@pytest.mark.parametrize("trap", ["honeypot", "too_fast", "forged"])
def test_robots_are_thanked_alike_and_nothing_is_kept(client, db, monkeypatch, trap):
    if trap == "honeypot":
        response = send(client, {"website": "http://spam.example"})
    elif trap == "too_fast":
        monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 60)
        response = send(client)
    else:
        response = client.post(reverse("inquiry_start"), {**GOOD, "started": "12345"})
    assert response.status_code == 302 and response.url == THANKS
    assert Inquiry.objects.count() == 0 and not AuditEvent.objects.exists()


def test_held_and_accepted_answers_take_about_the_same_time(db, settings):
    settings.INQUIRY_LIMIT_PER_HOUR = 1
    settings.INQUIRY_SESSION_LIMIT_PER_HOUR = 1000
    settings.INQUIRY_GLOBAL_LIMIT_PER_HOUR = 1000
    settings.INQUIRY_HELD_LIMIT_PER_HOUR = 1000
    http = HttpClient()
    # Each opened form is kept once: every try sends a form of its own, opened before the timing starts.
    pages = (http.get(reverse("inquiry_start")).content.decode() for _ in range(2 + 3 * 20 * 2))
    started = iter([re.search(r'name="started" value="([^"]+)"', page)[1] for page in pages])
    addresses = iter(range(10_000))
    send(HttpClient(), ip="203.0.113.99")  # this address is now over its limit
    tries = {
        "accepted": lambda: http.post(
            reverse("inquiry_start"),
            {**GOOD, "started": next(started)},
            REMOTE_ADDR=f"198.51.100.{next(addresses) % 250}",
        ),
        "held": lambda: http.post(
            reverse("inquiry_start"), {**GOOD, "started": next(started)}, REMOTE_ADDR="203.0.113.99"
        ),
    }
    for kind in tries.values():
        kind()
    # The work done in this process (the request and, on SQLite, its queries): wall time on a machine shared
    # with other test runs varies by more than the few milliseconds a difference in work would show.
    assert_same_time(tries, within_ms=5, clock=time.thread_time)
    assert Inquiry.objects.filter(held_reason="address").count() >= 20
    assert Inquiry.objects.filter(held_reason="").count() >= 20


# Review by admins


def held_inquiry(**kw) -> Inquiry:
    fields = {
        **GOOD,
        "may_leave_message": False,
        "consent_to_contact": True,
        "status": "held",
        "held_reason": "address",
    }
    return Inquiry.objects.create(**{**fields, **kw})


def test_admins_see_held_inquiries_marked(as_user, admin_user):
    held_inquiry(name="Held one")
    Inquiry.objects.create(**{**GOOD, "may_leave_message": False, "consent_to_contact": True, "name": "Open one"})
    c = as_user(admin_user)
    open_list = BeautifulSoup(c.get(reverse("inquiry_list")).content, "html.parser")
    assert "Open one" in open_list.get_text() and "Held one" not in open_list.get_text()
    held_list = BeautifulSoup(c.get(reverse("inquiry_list") + "?status=held").content, "html.parser")
    row = held_list.find("a", string="Held one").parent
    assert "Held: many messages from one connection" in row.get_text()
    home = c.get(reverse("practice_home")).content.decode()
    assert "1 held" in home


def test_an_admin_accepts_a_held_inquiry(as_user, admin_user):
    inquiry = held_inquiry()
    c = as_user(admin_user)
    detail = c.get(reverse("inquiry_detail", kwargs={"code": inquiry.code})).content.decode()
    assert "Held for review" in detail and reverse("inquiry_release", kwargs={"code": inquiry.code}) in detail
    assert "Open a case and invite them" not in detail
    response = c.post(reverse("inquiry_release", kwargs={"code": inquiry.code}))
    assert response.url == reverse("inquiry_detail", kwargs={"code": inquiry.code})
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.held_reason, inquiry.released_by) == ("open", "address", admin_user)
    assert AuditEvent.objects.get(action=Action.INQUIRY_RELEASED).target_id == str(inquiry.code)
    again = c.post(reverse("inquiry_release", kwargs={"code": inquiry.code}), follow=True)
    assert "not held for review" in again.content.decode()
    assert AuditEvent.objects.filter(action=Action.INQUIRY_RELEASED).count() == 1


def test_an_admin_closes_a_held_inquiry(as_user, admin_user):
    inquiry = held_inquiry()
    c = as_user(admin_user)
    c.post(reverse("inquiry_close", kwargs={"code": inquiry.code}), {"reason": "spam"})
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.close_reason) == ("closed", "spam")
    assert AuditEvent.objects.get(action=Action.INQUIRY_CLOSED).detail == {"reason": "spam", "was_held": True}


def test_a_held_inquiry_cannot_be_converted_before_it_is_accepted(as_user, admin_user, therapist):
    inquiry = held_inquiry()
    data = {"kind": "individual", "primary_therapist": therapist.pk, "first-full_name": "Ash"}
    response = as_user(admin_user).post(reverse("inquiry_convert", kwargs={"code": inquiry.code}), data, follow=True)
    assert "already been dealt with" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == "held"


@pytest.mark.parametrize("who", ["therapist", "client_user", "outsider"])
def test_only_admins_accept_held_inquiries(request, db, as_user, who):
    inquiry = held_inquiry()
    c = as_user(request.getfixturevalue(who))
    assert c.post(reverse("inquiry_release", kwargs={"code": inquiry.code})).status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.status == "held"


def test_accepting_needs_post_and_sign_in(client, as_user, admin_user):
    inquiry = held_inquiry()
    url = reverse("inquiry_release", kwargs={"code": inquiry.code})
    assert client.post(url).url.startswith(reverse("login"))
    assert as_user(admin_user).get(url).status_code == 405
    inquiry.refresh_from_db()
    assert inquiry.status == "held"
