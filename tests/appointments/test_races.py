"""Two people at once: one consultation time, one therapist's hour. One wins; the other is told clearly."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse

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
        for name in ("Robin", "Alex"):
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
            posts.append(lambda http=http, data=data: http.post(reverse("inquiry_start"), data))
        answers = at_once(*posts)
        taken = ["just been taken by someone else" in a.content.decode() for a in answers]
        assert sorted(taken) == [False, True], answers
        thanked = answers[taken.index(False)]
        assert thanked.status_code == 302 and thanked["Location"] == reverse("inquiry_thanks")
        slot.refresh_from_db()
        assert slot.status == "held"
        assert Inquiry.objects.filter(consultation__isnull=True, received_at__gte=slot.created_at).count() == 0
    assert Inquiry.objects.count() == ROUNDS


def test_two_bookings_of_one_therapists_hour_at_once_book_one(therapist):
    cases = [make_case(therapist=therapist), make_case(therapist=therapist)]
    for round_ in range(ROUNDS):
        when = at(next_weekday(2), 8) + timedelta(hours=round_)
        results = at_once(*(lambda case=case, when=when: booked(case, when) for case in cases))
        assert sum(isinstance(r, BookingRefused) for r in results) == 1, results
        assert Appointment.objects.filter(starts_at=when).count() == 1
