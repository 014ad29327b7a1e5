"""The link sent to confirm a chosen consultation time: opening it changes nothing, pressing Confirm holds the time."""

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from clinic.appointments.booking import Slot
from clinic.appointments.consultations import publish
from clinic.appointments.models import ConsultationSlot
from clinic.audit.models import Action, AuditEvent
from clinic.lib.logs import RedactSecrets
from clinic.lib.neutral import care_words
from intake import inquiries
from intake.models import Inquiry
from tests.appointments.helpers import at, next_weekday
from tests.browserlike import BrowserLikeClient

pytestmark = pytest.mark.django_db

TYPED = {
    "name": "Robin",
    "contact_method": "email",
    "contact_value": "robin@example.org",
    "message": "We would like to talk about how we decide things.",
    "preferred_times": "",
    "consent_to_contact": "on",
}


@pytest.fixture(autouse=True)
def _no_minimum_time(monkeypatch):
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)


@pytest.fixture
def slots(therapist):
    day = next_weekday(2)
    publish(therapist=therapist, slots=[Slot(at(day, h), at(day, h, 20)) for h in (10, 11, 12)])
    return list(ConsultationSlot.objects.order_by("starts_at"))


def choose(slot, *, start=None, ip="203.0.113.7", capture, **changes) -> str:
    """Send Get started choosing `slot`; the path of the link that was sent."""
    start = start or reverse("inquiry_start")
    http = BrowserLikeClient()
    started = re.search(r'name="started" value="([^"]+)"', http.get(start).content.decode())[1]
    before = len(mail.outbox)
    with capture(execute=True):
        http.post(start, {**TYPED, "started": started, "consultation": slot.starts_at.isoformat(), **changes},
                  REMOTE_ADDR=ip)  # fmt: skip
    (message,) = mail.outbox[before:]
    return re.search(r"http://testserver(\S+/)", message.body)[1]


def test_opening_the_link_changes_nothing_and_pressing_confirm_holds_the_time(
    slots, django_capture_on_commit_callbacks
):
    link = choose(slots[0], capture=django_capture_on_commit_callbacks)
    page = BrowserLikeClient().get(link)
    text = page.content.decode()
    assert page.status_code == 200 and "Confirm your time" in text and "Los Angeles time" in text
    slots[0].refresh_from_db()
    assert slots[0].status == "pending" and Inquiry.objects.get().contact_confirmed_at is None
    done = BrowserLikeClient().post(link)
    assert "You have confirmed" in done.content.decode() and "by email" in done.content.decode()
    slots[0].refresh_from_db()
    inquiry = Inquiry.objects.get()
    assert slots[0].status == "held" and inquiry.contact_confirmed_at is not None
    # Pressing it again holds nothing more and records nothing more.
    again = BrowserLikeClient().post(link)
    assert "You have confirmed" in again.content.decode()
    assert AuditEvent.objects.filter(action=Action.CONSULTATION_HELD).count() == 1
    event = AuditEvent.objects.get(action=Action.CONSULTATION_LINK_USED)
    assert (event.target_id, event.ip, event.actor) == (str(inquiry.code), None, None)
    # Opening it later shows where things stand.
    assert "You have confirmed" in BrowserLikeClient().get(link).content.decode()


def test_a_confirmation_past_the_address_share_reads_as_one_that_holds(
    slots, settings, django_capture_on_commit_callbacks
):
    settings.CONSULTATION_TIMES_PER_ADDRESS = 1
    settings.CONSULTATION_CONFIRM_HOURS = 1
    first = choose(slots[0], capture=django_capture_on_commit_callbacks, contact_value="a@example.org")
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1), tick=False):
        # The first choice lapsed, so the address could choose again; now it keeps its one time.
        choose(slots[1], capture=django_capture_on_commit_callbacks, contact_value="b@example.org")
        late = BrowserLikeClient().post(first)
        slots[0].refresh_from_db()
        assert slots[0].status == "pending" and slots[0].lapsed
        elsewhere = choose(slots[2], capture=django_capture_on_commit_callbacks, ip="198.51.100.9")
        held = BrowserLikeClient().post(elsewhere)
        slots[2].refresh_from_db()
        assert slots[2].status == "held"

    def unlike(page) -> str:
        """The page less the time named and the link's own address (in the language switch)."""
        text = re.sub(r"<strong>[^<]*</strong>", "", page.content.decode())
        return re.sub(r"/start/confirm/[A-Za-z0-9_-]{43}/", "", text)

    assert "You have confirmed" in unlike(late) and unlike(late) == unlike(held)


def test_a_link_that_is_not_one_is_not_found_and_an_old_one_is_gone(
    slots, as_user, admin_user, django_capture_on_commit_callbacks
):
    assert BrowserLikeClient().get(reverse("consultation_confirm", args=["x" * 43])).status_code == 404
    assert BrowserLikeClient().post(reverse("consultation_confirm", args=["not-a-token"])).status_code == 404
    link = choose(slots[0], capture=django_capture_on_commit_callbacks)
    inquiry = Inquiry.objects.get()
    as_user(admin_user).post(reverse("inquiry_close", args=[inquiry.code]), {"reason": "duplicate"})
    gone = BrowserLikeClient().post(link)
    assert gone.status_code == 410 and "This link no longer works" in gone.content.decode()
    slots[0].refresh_from_db()
    assert slots[0].status == "open"
    assert BrowserLikeClient().put(link).status_code == 405


def test_a_link_after_the_time_has_passed_is_gone(slots, django_capture_on_commit_callbacks):
    link = choose(slots[0], capture=django_capture_on_commit_callbacks)
    with time_machine.travel(slots[0].starts_at + timedelta(minutes=1), tick=False):
        assert BrowserLikeClient().get(link).status_code == 410


def test_a_link_by_text_message_is_neutral_and_a_phone_request_is_sent_nothing(
    slots, sms_outbox, django_capture_on_commit_callbacks
):
    http = BrowserLikeClient()
    for slot, method, value in ((slots[0], "text", "(213) 555-0144"), (slots[1], "phone", "(213) 555-0145")):
        started = re.search(r'name="started" value="([^"]+)"', http.get(reverse("inquiry_start")).content.decode())[1]
        data = {**TYPED, "started": started, "consultation": slot.starts_at.isoformat()}
        with django_capture_on_commit_callbacks(execute=True):
            http.post(reverse("inquiry_start"), {**data, "contact_method": method, "contact_value": value})
    (text,) = sms_outbox
    assert text.to.endswith("2135550144") and "/start/confirm/" in text.body
    assert care_words(text.body) == [] and mail.outbox == []
    # The phone request waits for an admin's call; it is kept from others meanwhile, as any choice is.
    assert [s.status for s in ConsultationSlot.objects.order_by("starts_at")] == ["pending", "pending", "open"]


def test_a_spanish_visitor_gets_the_link_and_its_page_in_spanish(slots, django_capture_on_commit_callbacks):
    with translation.override("es"):
        start = reverse("inquiry_start")
    link = choose(slots[0], start=start, capture=django_capture_on_commit_callbacks)
    message = mail.outbox[-1]
    assert link.startswith("/es/start/confirm/")
    assert message.subject == "Confirme su horario, por favor"
    assert "hora de Los Angeles" in message.body and "miércoles" in message.body
    assert care_words(message.subject + message.body) == []
    page = BrowserLikeClient().get(link).content.decode()
    assert "Confirme su horario" in page and "Confirmar" in page
    done = BrowserLikeClient().post(link).content.decode()
    assert "Ha confirmado el" in done and "por correo electrónico" in done


def test_the_link_never_reaches_a_log(client, db, caplog):
    token = "T" * 43
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("consultation_confirm", args=[token]))
    record = next(r for r in caplog.records if r.name == "django.request")
    console = next(h for h in logging.getLogger().handlers if any(isinstance(f, RedactSecrets) for f in h.filters))
    console.filter(record)
    assert token not in record.getMessage() and "/start/confirm/[redacted]/" in record.getMessage()
