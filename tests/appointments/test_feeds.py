"""A therapist's private calendar subscription: parses, holds initials and times only, and can be revoked."""

import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from clinic.appointments.booking import cancel
from clinic.appointments.feeds import turn_on
from clinic.lib.neutral import care_words
from tests.appointments.helpers import at, booked, next_weekday

pytestmark = pytest.mark.django_db


def subscribe(page) -> str:
    """Turn the subscription on from the settings page; the address as shown (once)."""
    answer = page.post(reverse("calendar_feed"), {"action": "on"})
    (address,) = re.findall(r'id="feed-url" readonly value="([^"]+)"', answer.content.decode())
    return address.replace("http://testserver", "")


@pytest.fixture
def week(couple_case, person, partner):
    person.full_name, person.email, person.phone = "Jo Álvarez Smith", "jo@example.org", "+12135550101"
    person.save()
    monday = next_weekday(0)
    return [
        booked(couple_case, at(monday, 10), modality="telehealth", video_link="https://v.example/secret-room")[0],
        booked(couple_case, at(monday, 12), format="individual", individual_client=person)[0],
    ]


def test_the_feed_parses_and_carries_initials_and_times_only(as_user, client, therapist, week, person, partner):
    address = subscribe(as_user(therapist))
    client.logout()
    answer = client.get(address)  # no sign-in: a calendar app reads it
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(answer.content).walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {f"{a.code}@fulcrum" for a in week}
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == [
        f"Appointment by video: J.Á.S. & {''.join(p[0] + '.' for p in partner.full_name.split())}",
        "Appointment in person: J.Á.S.",
    ]
    for event in events:
        assert set(event.keys()) == {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "TRANSP"}
    text = answer.content.decode()
    for private in ("Álvarez", "Smith", "jo@example.org", "5550101", "secret-room", partner.full_name):
        assert private not in text
    assert care_words(text) == []


def test_a_cancelled_appointment_leaves_the_feed(client, therapist, week):
    token = turn_on(therapist)
    cancel(appointment=week[0], status="cancelled", reason="ill", version=1, by=therapist)
    answer = client.get(reverse("calendar_feed_ics", args=[token]))
    assert len(Calendar.from_ical(answer.content).walk("VEVENT")) == 1 and b"ill" not in answer.content


def test_turning_it_off_or_making_a_new_address_ends_the_old_one_at_once(as_user, client, therapist, week):
    page = as_user(therapist)
    first = subscribe(page)
    second = subscribe(page)
    assert page.get(first).status_code == 404 and page.get(second).status_code == 200
    page.post(reverse("calendar_feed"), {"action": "off"})
    assert page.get(second).status_code == 404
    assert "is <strong>off</strong>" in page.get(reverse("calendar_feed")).content.decode()


def test_a_wrong_token_or_a_deactivated_therapist_is_a_plain_404(client, therapist, week):
    token = turn_on(therapist)
    assert client.get(reverse("calendar_feed_ics", args=["x" * 43])).status_code == 404
    therapist.is_active = False
    therapist.save()
    assert client.get(reverse("calendar_feed_ics", args=[token])).status_code == 404


def test_the_address_is_shown_once_and_only_its_hash_is_kept(as_user, therapist):
    from clinic.appointments.models import CalendarFeed

    page = as_user(therapist)
    address = subscribe(page)
    token = address.rsplit("/", 1)[-1].removesuffix(".ics")
    assert len(token) >= 40
    assert not CalendarFeed.objects.filter(token_hash=token).exists()
    assert token not in page.get(reverse("calendar_feed")).content.decode()


def test_reads_are_limited_per_hour(client, therapist, settings, week):
    settings.CALENDAR_FEED_READS_PER_HOUR = 3
    url = reverse("calendar_feed_ics", args=[turn_on(therapist)])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(url)["Retry-After"] == "3600"
