"""Free consultation times are shared fairly: no one address drains them, and nobody learns who else wrote.

One address (with any number of cookies, or one opened form sent again and again) keeps at most
CONSULTATION_TIMES_PER_ADDRESS times from others; a choice nobody confirms lapses; a message held for
review keeps no time. People who share an address each write, and every page reads as it does for anyone.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinic.appointments.booking import Slot
from clinic.appointments.consultations import kept_by_address, publish
from clinic.appointments.models import ConsultationSlot
from intake import inquiries
from intake.models import Inquiry
from tests.appointments.helpers import at, next_weekday
from tests.browserlike import BrowserLikeClient

pytestmark = pytest.mark.django_db

START, THANKS = reverse("inquiry_start"), reverse("inquiry_thanks")
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.20"
TYPED = {
    "name": "Robin",
    "contact_method": "email",
    "contact_value": "robin@example.org",
    "message": "We would like to talk about how we decide things.",
    "preferred_times": "",
    "consent_to_contact": "on",
}


@pytest.fixture(autouse=True)
def _limits(monkeypatch, settings):
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)
    # The message limits hold a sender's messages for review; these tests look at the times alone.
    settings.INQUIRY_LIMIT_PER_HOUR = 50
    settings.INQUIRY_SESSION_LIMIT_PER_HOUR = 50
    settings.CONSULTATION_TIMES_PER_ADDRESS = 2
    settings.CONSULTATION_CONFIRM_HOURS = 2


@pytest.fixture
def times(therapist):
    """Six times on one day, an hour apart."""
    day = next_weekday(1)
    count, _ = publish(therapist=therapist, slots=[Slot(at(day, h), at(day, h, 20)) for h in range(9, 15)])
    assert count == 6
    return [slot.starts_at.isoformat() for slot in ConsultationSlot.objects.order_by("starts_at")]


def opened(http) -> str:
    """The timing token of a freshly opened Get started form."""
    page = http.get(START).content.decode()
    return re.search(r'name="started" value="([^"]+)"', page)[1]


def send(http=None, *, ip, started=None, **changes):
    http = http or BrowserLikeClient()
    started = started or opened(http)
    return http.post(START, {**TYPED, "started": started, **changes}, REMOTE_ADDR=ip)


def offered(ip: str) -> list[str]:
    page = BeautifulSoup(BrowserLikeClient().get(START, REMOTE_ADDR=ip).content, "html.parser")
    return [radio["value"] for radio in page.select("#consultation-times input[name=consultation]") if radio["value"]]


def kept() -> list[str]:
    return [s.starts_at.isoformat() for s in ConsultationSlot.objects.taken(timezone.now()).order_by("starts_at")]


def answer(response) -> dict:
    """What the sender's browser gets back, less what differs on every request by design."""
    cookies = {
        name: {k: v for k, v in morsel.items() if v and k != "expires"} for name, morsel in response.cookies.items()
    }
    headers = {k: v for k, v in response.headers.items() if k not in ("Set-Cookie", "Date")}
    return {"status": response.status_code, "headers": headers, "body": response.content, "cookies": cookies}


def test_one_address_with_fresh_cookies_keeps_no_more_than_its_share(times, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            send(ip=HOME, consultation=when, contact_value=f"person{n}@example.org") for n, when in enumerate(times)
        ]
    assert [a.status_code for a in answers] == [302] * 6 and {a.url for a in answers} == {THANKS}
    # Every message is kept, with the time it asked for; two of them keep their time from others.
    assert sorted(Inquiry.objects.values_list("consultation_at", flat=True)) == [
        ConsultationSlot.objects.get(starts_at=when).starts_at for when in times
    ]
    assert Inquiry.objects.filter(status="open").count() == 6
    assert kept() == times[:2]
    # The other four are still offered, to everyone (this address too), and only two links went out.
    assert offered(HOME) == offered(ELSEWHERE) == times[2:]
    assert sorted(m.to[0] for m in mail.outbox) == ["person0@example.org", "person1@example.org"]


def test_one_opened_form_sent_again_keeps_nothing_more(times):
    http = BrowserLikeClient()
    token = opened(http)
    first = send(http, ip=HOME, started=token, consultation=times[0])
    again = send(ip=HOME, started=token, consultation=times[1], name="Again")
    elsewhere = send(ip=ELSEWHERE, started=token, consultation=times[2], name="Elsewhere")
    assert first.url == again.url == elsewhere.url == THANKS
    assert list(Inquiry.objects.values_list("name", flat=True)) == ["Robin"]
    assert kept() == times[:1]


def test_an_ipv6_network_is_one_address(times):
    for n, ip in enumerate(["2001:db8:7:1::10", "2001:db8:7:1:ffff:ffff:ffff:1", "2001:db8:7:1::99"]):
        send(ip=ip, consultation=times[n])
    assert kept() == times[:2]
    send(ip="2001:db8:7:2::10", consultation=times[2])
    assert kept() == times[:3]


def test_a_choice_nobody_confirms_lapses_and_the_time_is_offered_again(times, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(ip=HOME, consultation=times[0])
        send(ip=HOME, consultation=times[1])
    links = [re.search(r"http://testserver(\S+)", m.body)[1] for m in mail.outbox]
    assert times[0] not in offered(ELSEWHERE)
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=59), tick=False):
        assert times[0] not in offered(ELSEWHERE) and kept() == times[:2]
    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1), tick=False):
        assert offered(ELSEWHERE)[:2] == times[:2] and kept() == []
        # A lapsed choice counts towards nothing: the address may choose again.
        assert kept_by_address(Inquiry.objects.get(consultation_at=times[0]), timezone.now()) == 0
        send(ip=ELSEWHERE, consultation=times[0], name="Sam")
        slot = ConsultationSlot.objects.get(starts_at=times[0])
        assert (slot.status, slot.inquiry.name) == ("pending", "Sam")
        # Confirmed late: the first visitor finds their time taken, and is told plainly; the second one is free.
        late = BrowserLikeClient().post(links[0]).content.decode()
        assert "Someone else took" in late and "email you to find another time" in late
        still_free = BrowserLikeClient().post(links[1]).content.decode()
        assert "You have confirmed" in still_free
        assert ConsultationSlot.objects.get(starts_at=times[1]).status == "held"


def test_a_message_held_for_review_keeps_no_time_and_reads_the_same(times, settings):
    settings.INQUIRY_LIMIT_PER_HOUR = 1
    send(ip=HOME)
    held = BrowserLikeClient()
    held_answer = send(held, ip=HOME, consultation=times[0], name="Held")
    inquiry = Inquiry.objects.get(name="Held")
    assert (inquiry.status, inquiry.consultation_at.isoformat()) == ("held", times[0])
    assert kept() == [] and times[0] in offered(HOME) and mail.outbox == []
    # Someone elsewhere who chooses the same time by the same way is answered, and thanked, byte for byte alike.
    other = BrowserLikeClient()
    other_answer = send(other, ip=ELSEWHERE, consultation=times[0], name="Kept")
    assert kept() == times[:1]
    assert answer(held_answer) == answer(other_answer)
    assert held.get(THANKS).content == other.get(THANKS).content


def test_people_who_share_an_address_each_write_and_read_the_same_pages(times):
    pages = {}
    for n, name in enumerate(["Ana", "Bea", "Cai"]):
        http = BrowserLikeClient()
        pages[name] = (send(http, ip=HOME, consultation=times[n], name=name), http.get(THANKS))
    assert set(Inquiry.objects.values_list("name", flat=True)) == {"Ana", "Bea", "Cai"}
    assert Inquiry.objects.filter(status="open").count() == 3
    assert kept() == times[:2]
    # Cai's time was not kept (the address keeps two). Dee, elsewhere, chooses it and reads what Cai read.
    http = BrowserLikeClient()
    dee = (send(http, ip=ELSEWHERE, consultation=times[2], name="Dee"), http.get(THANKS))
    assert kept() == times[:3]
    assert answer(pages["Cai"][0]) == answer(dee[0]) and pages["Cai"][1].content == dee[1].content
    thanks = pages["Cai"][1].content.decode()
    assert "Ana" not in thanks and "Bea" not in thanks and "Cai" not in thanks
    # The page lists the same times at the shared address as anywhere else.
    assert offered(HOME) == offered(ELSEWHERE) == times[3:]


def test_an_admin_may_confirm_a_time_past_the_address_share(times, as_user, admin_user):
    for when in times[:3]:
        send(ip=HOME, consultation=when)
    third = Inquiry.objects.get(consultation_at=times[2])
    staff = as_user(admin_user)
    detail = staff.get(reverse("inquiry_detail", args=[third.code])).content.decode()
    assert "Not kept from others" in detail and "The time is still free" in detail
    staff.post(reverse("consultation_decide", args=[third.code]), {"decision": "confirm"})
    slot = ConsultationSlot.objects.get(starts_at=times[2])
    assert (slot.status, slot.inquiry, slot.confirmed_by) == ("confirmed", third, admin_user)


def test_an_admin_accepts_a_held_message_before_confirming_its_time(times, settings, as_user, admin_user):
    settings.INQUIRY_LIMIT_PER_HOUR = 1
    send(ip=HOME)
    send(ip=HOME, consultation=times[0], name="Held")
    inquiry = Inquiry.objects.get(name="Held")
    staff = as_user(admin_user)
    refused = staff.post(reverse("consultation_decide", args=[inquiry.code]), {"decision": "confirm"}, follow=True)
    assert "accept the inquiry first" in refused.content.decode() and kept() == []
    staff.post(reverse("inquiry_release", args=[inquiry.code]))
    staff.post(reverse("consultation_decide", args=[inquiry.code]), {"decision": "confirm"})
    assert ConsultationSlot.objects.get(starts_at=times[0]).status == "confirmed"


def test_an_admin_is_told_when_the_time_has_gone_to_someone_else(times, as_user, admin_user):
    for when in times[:2]:
        send(ip=HOME, consultation=when)
    send(ip=HOME, consultation=times[2])
    send(ip=ELSEWHERE, consultation=times[2], name="Sam")
    over = Inquiry.objects.get(consultation_at=times[2], name="Robin")
    staff = as_user(admin_user)
    answer_ = staff.post(reverse("consultation_decide", args=[over.code]), {"decision": "confirm"}, follow=True)
    assert "that time is no longer free" in answer_.content.decode()
    assert ConsultationSlot.objects.get(starts_at=times[2]).inquiry.name == "Sam"


def test_an_address_hash_is_blanked_once_no_limit_needs_it(times):
    send(ip=HOME, name="Plain")
    send(ip=HOME, consultation=times[0], name="With a time")
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1), tick=False):
        send(ip=ELSEWHERE, name="Later")
    hashes = dict(Inquiry.objects.values_list("name", "ip_hash"))
    assert hashes["Plain"] == "" and len(hashes["With a time"]) == 64 and len(hashes["Later"]) == 64
    # Once its time has passed, the address of the one that asked for it goes too.
    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        send(ip=ELSEWHERE, name="Much later")
    assert Inquiry.objects.get(name="With a time").ip_hash == ""


def test_two_people_who_open_the_form_at_the_same_instant_are_each_kept(times):
    with time_machine.travel(timezone.now(), tick=False):
        first, second = BrowserLikeClient(), BrowserLikeClient()
        tokens = opened(first), opened(second)
        send(first, ip=HOME, started=tokens[0], name="Ana")
        send(second, ip=HOME, started=tokens[1], name="Bea")
    assert tokens[0] != tokens[1]
    assert set(Inquiry.objects.values_list("name", flat=True)) == {"Ana", "Bea"}
