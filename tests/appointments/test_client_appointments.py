"""A client sees only their own appointments, in neutral words; never a partner's own ones, nor that they exist."""

import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from clinic.lib.neutral import care_words
from tests.appointments.helpers import at, booked, next_weekday

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    """What a person reads on the page (the body's text and the title), without markup."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def week(couple_case, person, partner):
    monday = next_weekday(0)
    conjoint = booked(couple_case, at(monday, 10))[0]
    mine = booked(couple_case, at(monday, 12), format="individual", individual_client=person)[0]
    theirs = booked(couple_case, at(monday, 14), format="individual", individual_client=partner)[0]
    return conjoint, mine, theirs


def test_the_client_sees_their_own_and_the_shared_appointments_in_neutral_words(as_user, client_user, week):
    conjoint, mine, theirs = week
    page = as_user(client_user)
    text = page.get(reverse("my_appointments")).content.decode()
    assert str(conjoint.code) in text and str(mine.code) in text
    assert str(theirs.code) not in text
    words = visible_text(text)
    assert "Appointment with your practice — Monday, " in words
    assert "10:00 AM" in words and "12:00 PM" in words and " 2:00 PM" not in words
    assert care_words(words) == []


def test_the_partners_own_appointment_is_a_404_and_absent_from_every_page(as_user, client_user, partner_user, week):
    conjoint, mine, theirs = week
    page = as_user(client_user)
    assert page.get(reverse("my_appointment_ics", args=[theirs.code])).status_code == 404
    home = page.get(reverse("client_home")).content.decode()
    assert str(theirs.code) not in home and " 2:00 PM" not in home
    # The partner, for their part, sees theirs and the shared one, not this client's own.
    other = as_user(partner_user).get(reverse("my_appointments")).content.decode()
    assert str(theirs.code) in other and str(conjoint.code) in other and str(mine.code) not in other


def test_the_home_page_shows_the_next_appointment(as_user, client_user, week):
    home = visible_text(as_user(client_user).get(reverse("client_home")).content.decode())
    assert "Your next appointment" in home and "10:00 AM" in home
    assert care_words(home) == []


def test_a_client_downloads_their_appointment_with_a_neutral_title(as_user, client_user, week):
    conjoint, _, _ = week
    answer = as_user(client_user).get(reverse("my_appointment_ics", args=[conjoint.code]))
    assert answer["Content-Type"].startswith("text/calendar")
    assert answer["Content-Disposition"] == 'attachment; filename="appointment.ics"'
    calendar = Calendar.from_ical(answer.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Appointment"
    assert event.decoded("DTSTART") == conjoint.starts_at and event.decoded("DTEND") == conjoint.ends_at
    assert care_words(answer.content.decode()) == []
    assert set(event.keys()) == {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "TRANSP"}


def test_a_cancelled_appointment_is_not_shown_to_the_client(as_user, client_user, therapist, week):
    from clinic.appointments.booking import cancel

    conjoint, _, _ = week
    cancel(appointment=conjoint, status="cancelled", reason="therapist ill", version=1, by=therapist)
    page = as_user(client_user)
    text = page.get(reverse("my_appointments")).content.decode()
    assert str(conjoint.code) not in text and "therapist ill" not in text
    assert page.get(reverse("my_appointment_ics", args=[conjoint.code])).status_code == 404


def test_staff_and_strangers_cannot_use_the_client_pages(as_user, therapist, outsider, week):
    conjoint, _, _ = week
    assert as_user(therapist).get(reverse("my_appointments")).status_code == 404
    assert as_user(outsider).get(reverse("my_appointment_ics", args=[conjoint.code])).status_code == 404
