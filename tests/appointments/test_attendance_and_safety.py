"""The session and its note come from the appointment; a conjoint booking while a partner is flagged needs a reason."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import SessionCheckIn
from clinic.appointments.models import Appointment
from clinic.audit.models import Action, AuditEvent
from clinic.notes.models import SessionNote
from tests.appointments.helpers import at, booked, form_data, next_weekday
from tests.factories import make_warning_sign

pytestmark = pytest.mark.django_db


def started(appointment: Appointment, minutes_ago: int = 55) -> Appointment:
    """Move an appointment into the past, as the clock would."""
    starts = timezone.now() - timedelta(minutes=minutes_ago)
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=starts, ends_at=starts + timedelta(minutes=50))
    appointment.refresh_from_db()
    return appointment


def test_recording_attended_makes_the_session_opens_its_note_and_offers_check_ins(as_user, therapist, couple_case):
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    started(appointment)
    page = as_user(therapist)
    answer = page.post(
        reverse("appointment_attendance", args=[appointment.code]), {"status": "attended", "version": "1"}
    )
    appointment.refresh_from_db()
    session = appointment.session
    assert appointment.status == "attended" and session is not None
    assert answer.status_code == 302 and answer["Location"] == reverse("note_page", args=[session.code])
    assert session.starts_at == appointment.starts_at and session.duration_minutes == 50
    assert session.format == "conjoint" and session.created_by == therapist
    # Both partners can sign in: each is asked how it went.
    assert SessionCheckIn.objects.filter(session=session).count() == 2
    # Opening the attended appointment opens its note.
    opened = page.get(reverse("appointment_detail", args=[appointment.code]))
    assert opened["Location"] == reverse("note_page", args=[session.code])
    page.get(opened["Location"])
    assert SessionNote.objects.filter(session=session, author=therapist).exists()


def test_an_appointment_that_has_not_started_cannot_be_recorded(as_user, therapist, couple_case):
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    answer = as_user(therapist).post(
        reverse("appointment_attendance", args=[appointment.code]), {"status": "attended", "version": "1"}
    )
    assert "has not started yet" in answer.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "booked" and appointment.session is None


def test_did_not_attend_needs_what_is_known_and_makes_no_note(as_user, therapist, couple_case):
    appointment = started(booked(couple_case, at(next_weekday(0), 10))[0])
    page = as_user(therapist)
    url = reverse("appointment_attendance", args=[appointment.code])
    refused = page.post(url, {"status": "no_show", "reason": "  ", "version": "1"})
    assert "Say what is known" in refused.content.decode()
    page.post(url, {"status": "no_show", "reason": "No contact; called twice.", "version": "1"})
    appointment.refresh_from_db()
    assert appointment.status == "no_show" and appointment.session is None
    assert appointment.status_reason == "No contact; called twice."


def test_a_conjoint_booking_while_a_partner_is_flagged_needs_the_override_and_a_reason(
    as_user, therapist, couple_case, partner
):
    make_warning_sign(partner, by=therapist, urgent_flag=True)
    page = as_user(therapist)
    url = reverse("appointment_book", args=[couple_case.code])
    form = page.get(url).content.decode()
    assert "An urgent flag on a partner is not resolved" in form
    refused = page.post(url, form_data(at(next_weekday(0), 10)))
    text = refused.content.decode()
    assert "Conjoint sessions are not advised until the urgent flag is resolved" in text
    assert "Say why a conjoint session is right now" in text
    assert not Appointment.objects.exists()
    # An individual appointment needs no override.
    page.post(url, form_data(at(next_weekday(0), 12), format="individual", individual_client=partner.pk))
    assert Appointment.objects.filter(format="individual", individual_client=partner).count() == 1
    page.post(url, form_data(at(next_weekday(0), 14), override="on", override_reason="Safety plan reviewed jointly."))
    conjoint = Appointment.objects.get(format="conjoint")
    assert conjoint.conjoint_override_reason == "Safety plan reviewed jointly."
    override = AuditEvent.objects.get(action=Action.CONJOINT_OVERRIDE)
    assert "Safety plan" not in str(override.detail)
    # The week shows the warning on the conjoint one, not on the individual one.
    week = page.get(reverse("calendar_week_of", args=[next_weekday(0).isoformat()])).content.decode()
    assert week.count("Urgent flag open: conjoint not advised") == 1


def test_a_flag_raised_after_booking_asks_for_a_reason_when_the_session_is_recorded(
    as_user, therapist, couple_case, partner
):
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    started(appointment)
    make_warning_sign(partner, by=therapist, urgent_flag=True)
    page = as_user(therapist)
    url = reverse("appointment_attendance", args=[appointment.code])
    refused = page.post(url, {"status": "attended", "version": "1"})
    assert "say why the conjoint session went ahead" in refused.content.decode()
    page.post(url, {"status": "attended", "version": "1", "override_reason": "Both asked; risk assessed first."})
    appointment.refresh_from_db()
    assert appointment.session.conjoint_override_reason == "Both asked; risk assessed first."
    assert AuditEvent.objects.filter(action=Action.CONJOINT_OVERRIDE).count() == 1


def test_the_dashboard_starts_with_todays_appointments(as_user, therapist, couple_case):
    soon = timezone.localtime() + timedelta(minutes=20)
    if soon.date() != timezone.localdate():
        pytest.skip("too close to midnight for an appointment later today")
    (appointment,) = booked(couple_case, soon, minutes=5, outside_hours=True)
    text = as_user(therapist).get(reverse("dashboard")).content.decode()
    today = text.index("Today&#x27;s appointments") if "Today&#x27;s" in text else text.index("Today's appointments")
    assert today < text.index("Risk flags")
    assert str(appointment.code) in text[today : text.index("Risk flags")]


def test_a_moved_case_takes_its_appointments_to_come_and_a_closed_case_cancels_them(
    as_user, therapist, colleague, admin_user, couple_case
):
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    as_user(admin_user).post(reverse("case_reassign", args=[couple_case.code]), {"primary_therapist": colleague.pk})
    appointment.refresh_from_db()
    assert appointment.therapist == colleague
    page = as_user(colleague)
    page.post(
        reverse("case_discharge", args=[couple_case.code]),
        {"discharged_on": timezone.localdate().isoformat(), "note": "Completed."},
    )
    appointment.refresh_from_db()
    assert appointment.status == "cancelled" and appointment.status_reason == "Case closed"


def test_an_admin_books_for_a_flagged_couple_individual_appointments_only_and_never_sees_the_flag(
    as_user, admin_user, therapist, couple_case, partner
):
    make_warning_sign(partner, by=therapist, urgent_flag=True)
    page = as_user(admin_user)
    url = reverse("appointment_book", args=[couple_case.code])
    form = page.get(url).content.decode()
    assert "individual appointments only" in form and "urgent" not in form.lower()
    refused = page.post(url, form_data(at(next_weekday(0), 10), override="on", override_reason="x")).content.decode()
    assert "Book individual appointments only" in refused and not Appointment.objects.exists()
    page.post(url, form_data(at(next_weekday(0), 10), format="individual", individual_client=partner.pk))
    (appointment,) = Appointment.objects.all()
    assert appointment.therapist == therapist and appointment.created_by == admin_user
    # The therapist's own conjoint one, booked with a reason, shows no flag on the admin's pages.
    booked(couple_case, at(next_weekday(1), 10), conjoint_override_reason="Reviewed.")
    for path in (
        reverse("practice_calendar_of", args=[next_weekday(1).isoformat()]),
        reverse("appointment_detail", args=[Appointment.objects.get(format="conjoint").code]),
    ):
        text = page.get(path).content.decode()
        assert "Urgent flag" not in text and "Reviewed." not in text and "not advised" not in text
