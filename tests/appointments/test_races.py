"""Two people at once: one consultation time, one therapist's hour. One wins; the other is told clearly.

And one address at once: many forms sent together still keep no more than its share of the consultation times.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from clinic.appointments.booking import BookingRefused
from clinic.appointments.models import Appointment, ConsultationSlot
from intake import inquiries
from intake.models import Inquiry
from tests.appointments.helpers import at, booked, next_weekday
from tests.browserlike import BrowserLikeClient
from tests.concurrency import at_once
from tests.factories import make_case

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
ROUNDS = 8


def test_two_visitors_choosing_the_same_time_get_one_hold_and_one_clear_message(monkeypatch, therapist):
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)
    for round_ in range(ROUNDS):
        when = at(next_weekday(1), 9) + timedelta(minutes=30 * round_)
        slot = ConsultationSlot.objects.create(
            therapist=therapist, starts_at=when, ends_at=when + timedelta(minutes=20)
        )
        posts = []
        for n, name in enumerate(("Robin", "Alex")):
            http = BrowserLikeClient()
            form = BeautifulSoup(http.get(reverse("inquiry_start")).content, "html.parser")
            data = {
                "name": name,
                "contact_method": "email",
                "contact_value": f"{name.lower()}@example.org",
                "message": f"{name} would like to talk.",
                "consent_to_contact": "on",
                "started": form.find("input", attrs={"name": "started"})["value"],
                "consultation": when.isoformat(),
            }
            # Two people in two places (one address would keep only its share of the times over the rounds).
            ip = f"198.51.100.{10 * n + round_}"
            posts.append(lambda http=http, data=data, ip=ip: http.post(reverse("inquiry_start"), data, REMOTE_ADDR=ip))
        answers = at_once(*posts)
        taken = ["just been taken by someone else" in a.content.decode() for a in answers]
        assert sorted(taken) == [False, True], answers
        thanked = answers[taken.index(False)]
        assert thanked.status_code == 302 and thanked["Location"] == reverse("inquiry_thanks")
        slot.refresh_from_db()
        assert slot.status == "pending"
        assert Inquiry.objects.filter(consultation__isnull=True, received_at__gte=slot.created_at).count() == 0
    assert Inquiry.objects.count() == ROUNDS


def test_two_bookings_of_one_therapists_hour_at_once_book_one(therapist):
    cases = [make_case(therapist=therapist), make_case(therapist=therapist)]
    for round_ in range(ROUNDS):
        when = at(next_weekday(2), 8) + timedelta(hours=round_)
        results = at_once(*(lambda case=case, when=when: booked(case, when) for case in cases))
        assert sum(isinstance(r, BookingRefused) for r in results) == 1, results
        assert Appointment.objects.filter(starts_at=when).count() == 1


def opened_form(name: str, when, *, ip: str):
    """A fresh browser with Get started open, and the sending of its form (a callable for at_once)."""
    http = BrowserLikeClient()
    page = http.get(reverse("inquiry_start")).content.decode()
    data = {
        "name": name,
        "contact_method": "email",
        "contact_value": f"{name.lower()}@example.org",
        "message": f"{name} would like to talk.",
        "consent_to_contact": "on",
        "started": re.search(r'name="started" value="([^"]+)"', page)[1],
        "consultation": when.isoformat(),
    }
    return lambda: http.post(reverse("inquiry_start"), data, REMOTE_ADDR=ip)


@override_settings(CONSULTATION_TIMES_PER_ADDRESS=2, INQUIRY_LIMIT_PER_HOUR=100, INQUIRY_SESSION_LIMIT_PER_HOUR=100)
def test_one_address_sending_many_forms_at_once_keeps_only_its_share(monkeypatch, therapist):
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)
    day = next_weekday(3)
    times = [at(day, 8) + timedelta(minutes=30 * n) for n in range(6)]
    for when in times:
        ConsultationSlot.objects.create(therapist=therapist, starts_at=when, ends_at=when + timedelta(minutes=20))
    for round_ in range(ROUNDS // 2):
        address = f"203.0.113.{100 + round_}"
        answers = at_once(*(opened_form(f"P{round_}x{n}", when, ip=address) for n, when in enumerate(times)))
        assert all(a.status_code == 302 and a["Location"] == reverse("inquiry_thanks") for a in answers), answers
        kept = ConsultationSlot.objects.taken(timezone.now()).filter(inquiry__name__startswith=f"P{round_}x")
        assert kept.count() == 2
        assert Inquiry.objects.filter(name__startswith=f"P{round_}x").count() == 6
        # Give the times back for the next round.
        ConsultationSlot.objects.filter(starts_at__in=times).update(status="open", inquiry=None, held_at=None)


def test_one_opened_form_sent_twice_at_once_is_kept_once(monkeypatch, therapist):
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)
    when = at(next_weekday(3), 15)
    ConsultationSlot.objects.create(therapist=therapist, starts_at=when, ends_at=when + timedelta(minutes=20))
    for round_ in range(ROUNDS):
        send = opened_form(f"Twice{round_}", when, ip="198.51.100.50")
        answers = at_once(send, send)
        assert [a.status_code for a in answers] == [302, 302], answers
        assert Inquiry.objects.filter(name=f"Twice{round_}").count() == 1
        ConsultationSlot.objects.filter(starts_at=when).update(status="open", inquiry=None, held_at=None)


@override_settings(CONSULTATION_CONFIRM_HOURS=1)
def test_a_late_confirmation_and_a_new_choice_of_the_same_time_at_once_give_it_to_one(monkeypatch, therapist):
    monkeypatch.setattr(inquiries, "MINIMUM_SECONDS", 0)
    for round_ in range(ROUNDS // 2):
        when = at(next_weekday(4), 8) + timedelta(minutes=30 * round_)
        ConsultationSlot.objects.create(therapist=therapist, starts_at=when, ends_at=when + timedelta(minutes=20))
        mail.outbox.clear()
        first = opened_form(f"First{round_}", when, ip=f"198.51.100.{60 + round_}")()
        assert first.status_code == 302, first.content.decode()
        link = re.search(r"http://testserver(\S+/)", mail.outbox[0].body)[1]
        with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1), tick=True):
            late = BrowserLikeClient()
            confirm = lambda late=late, link=link: late.post(link)  # noqa: E731
            choose = opened_form(f"Second{round_}", when, ip=f"198.51.100.{70 + round_}")
            answers = at_once(confirm, choose)
            slot = ConsultationSlot.objects.select_related("inquiry").get(starts_at=when)
            page = answers[0].content.decode()
            if slot.inquiry.name == f"First{round_}":
                assert slot.status == "held" and "You have confirmed" in page
                assert "just been taken by someone else" in answers[1].content.decode()
            else:
                assert slot.status == "pending" and "Someone else took" in page
                assert answers[1].status_code == 302
