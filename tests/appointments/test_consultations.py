"""A first consultation: a therapist publishes times, a visitor chooses one on Get started, an admin confirms."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinic.appointments.booking import Slot
from clinic.appointments.consultations import publish
from clinic.appointments.models import ConsultationSlot
from clinic.lib.neutral import care_words
from intake import inquiries
from intake.models import Inquiry
from tests.appointments.helpers import at, booked, next_weekday

pytestmark = pytest.mark.django_db

TYPED = {
    "name": "Robin",
    "contact_method": "email",
    "contact_value": "robin@example.org",
    "message": "We keep having the same argument about money.",
    "preferred_times": "",
    "consent_to_contact": "on",
}


@pytest.fixture(autouse=True)
def _no_minimum_time(monkeypatch):
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)


def slot_at(therapist, when):
    count, skipped = publish(therapist=therapist, slots=[Slot(when, when + timedelta(minutes=20))])
    assert count == 1, skipped
    return ConsultationSlot.objects.get(therapist=therapist, starts_at=when)


def send(client, **changes):
    form = BeautifulSoup(client.get(reverse("inquiry_start")).content, "html.parser")
    started = form.find("input", attrs={"name": "started"})["value"]
    return client.post(reverse("inquiry_start"), {**TYPED, "started": started, **changes})


def test_a_therapist_publishes_times_and_a_clash_with_an_appointment_is_left_out(as_user, therapist, couple_case):
    monday = next_weekday(0)
    booked(couple_case, at(monday + timedelta(days=1), 9))
    answer = as_user(therapist).post(
        reverse("consultation_slots"), {"starts_at": f"{monday.isoformat()}T09:00", "repeat_days": "2"}, follow=True
    )
    text = answer.content.decode()
    assert ConsultationSlot.objects.filter(therapist=therapist).count() == 2
    assert "Published 2 consultation times" in text and "Not published" in text


def test_a_visitor_chooses_a_time_confirms_it_by_the_link_and_the_admin_confirms_it_by_the_chosen_way(
    client, as_user, therapist, admin_user, django_capture_on_commit_callbacks
):
    slot = slot_at(therapist, at(next_weekday(1), 15))
    page = client.get(reverse("inquiry_start")).content.decode()
    assert "Tuesday" in page and "3:00 PM" in page and str(therapist) not in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = send(client, consultation=slot.starts_at.isoformat())
    assert answer.status_code == 302 and answer["Location"] == reverse("inquiry_thanks")
    slot.refresh_from_db()
    inquiry = Inquiry.objects.get()
    assert slot.status == "pending" and slot.inquiry == inquiry and inquiry.consultation_at == slot.starts_at
    # A chosen time is no longer offered to anyone else while it waits for its confirmation.
    assert slot.starts_at.isoformat() not in client.get(reverse("inquiry_start")).content.decode()
    # The link goes the way they chose, in neutral words; only its hash is kept.
    (asking,) = mail.outbox
    assert asking.to == ["robin@example.org"] and "Tuesday" in asking.body and "Los Angeles time" in asking.body
    assert care_words(asking.subject + asking.body) == [] and inquiry.message not in asking.body
    link = re.search(r"http://testserver(/start/confirm/[A-Za-z0-9_-]{43}/)", asking.body)[1]
    assert link.split("/")[-2] not in str(Inquiry.objects.values().get())
    client.post(link)
    slot.refresh_from_db()
    assert slot.status == "held"
    staff = as_user(admin_user)
    detail = staff.get(reverse("inquiry_detail", args=[inquiry.code])).content.decode()
    assert "First consultation" in detail and "they confirmed it through the contact they gave" in detail
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("consultation_decide", args=[inquiry.code]), {"decision": "confirm"})
    slot.refresh_from_db()
    assert slot.status == "confirmed" and slot.confirmed_by == admin_user
    (message,) = mail.outbox
    assert message.to == ["robin@example.org"] and "Tuesday" in message.body and "Los Angeles time" in message.body
    assert care_words(message.subject + message.body) == []
    assert inquiry.message not in message.body
    # A second click tells them nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again = staff.post(reverse("consultation_decide", args=[inquiry.code]), {"decision": "confirm"}, follow=True)
    assert "already confirmed" in again.content.decode() and len(mail.outbox) == 1


def test_a_confirmation_by_text_goes_by_text_and_a_phone_call_sends_nothing(
    client, as_user, therapist, admin_user, sms_outbox, django_capture_on_commit_callbacks
):
    first, second = slot_at(therapist, at(next_weekday(1), 15)), slot_at(therapist, at(next_weekday(1), 16))
    send(client, contact_method="text", contact_value="(213) 555-0144", consultation=first.starts_at.isoformat())
    send(client, contact_method="phone", contact_value="(213) 555-0145", consultation=second.starts_at.isoformat())
    staff = as_user(admin_user)
    by_text, by_call = Inquiry.objects.order_by("received_at", "id")
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("consultation_decide", args=[by_text.code]), {"decision": "confirm"})
    answer = staff.post(reverse("consultation_decide", args=[by_call.code]), {"decision": "confirm"}, follow=True)
    assert "call them to confirm" in answer.content.decode()
    (text,) = sms_outbox
    assert text.to.endswith("2135550144") and mail.outbox == []


def test_a_time_taken_meanwhile_is_refused_clearly_and_nothing_typed_is_lost(client, therapist):
    slot = slot_at(therapist, at(next_weekday(1), 15))
    form = BeautifulSoup(client.get(reverse("inquiry_start")).content, "html.parser")
    started = form.find("input", attrs={"name": "started"})["value"]
    # Someone else takes it after this page was opened.
    other = Inquiry.objects.create(**{**TYPED, "consent_to_contact": True})
    ConsultationSlot.objects.filter(pk=slot.pk).update(status="held", inquiry=other)
    answer = client.post(
        reverse("inquiry_start"), {**TYPED, "started": started, "consultation": slot.starts_at.isoformat()}
    )
    text = answer.content.decode()
    assert answer.status_code == 200 and "just been taken by someone else" in text
    assert TYPED["message"] in text and TYPED["contact_value"] in text
    assert Inquiry.objects.count() == 1


def test_closing_the_inquiry_gives_the_time_back(client, as_user, therapist, admin_user):
    slot = slot_at(therapist, at(next_weekday(1), 15))
    send(client, consultation=slot.starts_at.isoformat())
    inquiry = Inquiry.objects.get()
    as_user(admin_user).post(reverse("inquiry_close", args=[inquiry.code]), {"reason": "duplicate", "note": ""})
    slot.refresh_from_db()
    assert slot.status == "open" and slot.inquiry is None


def test_a_time_in_the_past_or_withdrawn_is_not_offered(client, as_user, therapist):
    slot = slot_at(therapist, at(next_weekday(1), 15))
    as_user(therapist).post(reverse("consultation_withdraw", args=[slot.code]))
    ConsultationSlot.objects.create(
        therapist=therapist, starts_at=timezone.now() + timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=2)
    )
    client.logout()
    assert 'name="consultation"' not in client.get(reverse("inquiry_start")).content.decode()
