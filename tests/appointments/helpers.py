"""Times and bookings for calendar tests."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from clinic.appointments.booking import Booking, book
from clinic.notes.models import Modality, SessionFormat


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local (practice) time."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def next_weekday(weekday: int = 0, *, weeks: int = 1) -> date:
    """The given weekday (0 Monday) `weeks` weeks from the week two days ahead: at least two days away whatever the
    hour a test runs (a day-before reminder or a consultation's notice must still lie ahead on a Sunday night)."""
    soon = timezone.localdate() + timedelta(days=2)
    return soon - timedelta(days=soon.weekday()) + timedelta(weeks=weeks, days=weekday)


def booking(first: datetime, **kw) -> Booking:
    values = {
        "first": first,
        "minutes": 50,
        "format": SessionFormat.CONJOINT,
        "individual_client": None,
        "modality": Modality.IN_PERSON,
    }
    return Booking(**{**values, **kw})


def booked(case, first: datetime, **kw):
    """Book straight through the rules (as the case's therapist)."""
    return book(case=case, booking=booking(first, **kw), by=case.primary_therapist)


def form_data(first: datetime, **kw) -> dict:
    data = {
        "starts_at": timezone.localtime(first).strftime("%Y-%m-%dT%H:%M"),
        "minutes": "50",
        "format": "conjoint",
        "individual_client": "",
        "modality": "in_person",
        "video_link": "",
        "repeat": "0",
        "count": "",
    }
    data.update({k: str(v) for k, v in kw.items()})
    return data
