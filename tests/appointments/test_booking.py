"""Booking, series and their exceptions, conflicts and working hours, through the pages a therapist uses."""

from datetime import UTC, date, time, timedelta
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.appointments.booking import BookingRefused, cancel, move, occurrences
from clinic.appointments.models import Appointment, WorkingHours
from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Case, Membership
from tests.appointments.helpers import at, booked, form_data, next_weekday
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_a_therapist_books_one_appointment_and_sees_it_in_their_week(as_user, therapist, couple_case):
    monday = next_weekday(0)
    page = as_user(therapist)
    answer = page.post(reverse("appointment_book", args=[couple_case.code]), form_data(at(monday, 10)), follow=True)
    assert answer.status_code == 200
    (appointment,) = Appointment.objects.filter(case=couple_case)
    assert appointment.starts_at == at(monday, 10) and appointment.duration_minutes == 50
    assert appointment.therapist == therapist and appointment.series is None
    assert "Booked:" in answer.content.decode()
    week = page.get(reverse("calendar_week_of", args=[monday.isoformat()])).content.decode()
    assert str(appointment.code) in week and escape(couple_case.label) in week
    assert AuditEvent.objects.filter(action=Action.APPOINTMENT_BOOKED, target_id=str(appointment.code)).exists()


def test_a_weekly_series_keeps_its_local_time_across_the_change_of_summer_time(therapist, couple_case):
    # US summer time starts on the second Sunday of March: 2027-03-14.
    first = at(date(2027, 3, 8), 10)
    slots = occurrences(first=first, minutes=50, every_weeks=1, count=3)
    assert [timezone.localtime(s.starts_at).time() for s in slots] == [time(10, 0)] * 3
    # A week apart on the clock; an hour less than a week in real time.
    assert slots[1].starts_at.astimezone(UTC) - slots[0].starts_at.astimezone(UTC) == timedelta(days=7, hours=-1)


def test_a_series_every_two_weeks_books_each_occurrence_in_order(therapist, couple_case):
    monday = next_weekday(0)
    made = booked(couple_case, at(monday, 9), every_weeks=2, count=4)
    assert [a.sequence for a in made] == [1, 2, 3, 4]
    assert [timezone.localdate(a.starts_at) for a in made] == [monday + timedelta(weeks=2 * n) for n in range(4)]
    assert len({a.series_id for a in made}) == 1


def test_moving_one_occurrence_leaves_the_rest_of_the_series(therapist, couple_case):
    monday = next_weekday(0)
    made = booked(couple_case, at(monday, 9), every_weeks=1, count=4)
    second = made[1]
    move(appointment=second, starts_at=at(monday + timedelta(days=8), 15), minutes=80, version=1, by=therapist)
    rows = list(Appointment.objects.filter(series=second.series).order_by("sequence"))
    assert timezone.localtime(rows[1].starts_at) == at(monday + timedelta(days=8), 15)
    assert rows[1].duration_minutes == 80
    assert [timezone.localtime(r.starts_at).hour for r in (rows[0], rows[2], rows[3])] == [9, 9, 9]


def test_moving_this_and_later_ones_shifts_each_by_the_same_day_and_clock_time(therapist, couple_case):
    monday = next_weekday(0)
    made = booked(couple_case, at(monday, 9), every_weeks=1, count=4)
    move(
        appointment=made[1],
        starts_at=at(monday + timedelta(days=9), 14),
        minutes=50,
        scope="following",
        version=1,
        by=therapist,
    )
    rows = list(Appointment.objects.filter(series=made[0].series).order_by("sequence"))
    assert timezone.localtime(rows[0].starts_at) == at(monday, 9)
    assert [timezone.localtime(r.starts_at) for r in rows[1:]] == [
        at(monday + timedelta(days=9 + 7 * n), 14) for n in range(3)
    ]


def test_cancelling_the_rest_of_a_series_keeps_the_earlier_ones(therapist, couple_case):
    monday = next_weekday(0)
    made = booked(couple_case, at(monday, 9), every_weeks=1, count=5)
    cancel(
        appointment=made[2], status="late_cancelled", reason="moving away", scope="following", version=1, by=therapist
    )
    statuses = list(
        Appointment.objects.filter(series=made[0].series).order_by("sequence").values_list("status", flat=True)
    )
    # The one cancelled now is the late one; those after it are cancelled in good time.
    assert statuses == ["booked", "booked", "late_cancelled", "cancelled", "cancelled"]


def test_cancelling_one_frees_its_time_for_another_booking(therapist, couple_case):
    monday = next_weekday(0)
    (first,) = booked(couple_case, at(monday, 11))
    other = make_case(therapist=therapist)
    with pytest.raises(BookingRefused):
        booked(other, at(monday, 11, 30))
    cancel(appointment=first, status="cancelled", reason="asked", version=1, by=therapist)
    assert booked(other, at(monday, 11, 30))


def test_a_therapist_double_booked_is_refused_with_the_time_and_case_named(as_user, therapist, couple_case):
    monday = next_weekday(1)
    booked(couple_case, at(monday, 10))
    other = make_case(therapist=therapist)
    answer = as_user(therapist).post(reverse("appointment_book", args=[other.code]), form_data(at(monday, 10, 30)))
    text = answer.content.decode()
    assert answer.status_code == 200 and "already has an appointment then" in text and escape(couple_case.label) in text
    # What was typed is still in the form.
    assert 'value="' + timezone.localtime(at(monday, 10, 30)).strftime("%Y-%m-%dT%H:%M") + '"' in text
    assert not Appointment.objects.filter(case=other).exists()


def test_back_to_back_appointments_are_not_a_conflict(therapist, couple_case):
    monday = next_weekday(1)
    booked(couple_case, at(monday, 10), minutes=50)
    assert booked(make_case(therapist=therapist), at(monday, 10, 50))


def test_a_client_booked_twice_at_once_is_refused_even_with_another_therapist(
    therapist, colleague, couple_case, person
):
    monday = next_weekday(2)
    booked(couple_case, at(monday, 13))
    # The same person is also in an individual case of a colleague's.
    own = Case.objects.create(kind=Case.Kind.INDIVIDUAL, primary_therapist=colleague, created_by=colleague)
    Membership.objects.create(case=own, client=person)
    with pytest.raises(BookingRefused) as refused:
        booked(own, at(monday, 13, 20), format="individual", individual_client=person)
    assert refused.value.problems[0].kind == "client"
    assert f"{person.display_name} already has an appointment at that time" in str(refused.value)


def test_a_series_is_refused_whole_when_one_occurrence_clashes_and_the_date_is_named(therapist, couple_case):
    monday = next_weekday(0)
    other = make_case(therapist=therapist)
    booked(other, at(monday + timedelta(weeks=2), 9))
    with pytest.raises(BookingRefused) as refused:
        booked(couple_case, at(monday, 9), every_weeks=1, count=4)
    assert len(refused.value.problems) == 1
    assert (monday + timedelta(weeks=2)).strftime("%b") in refused.value.problems[0].message
    assert not Appointment.objects.filter(case=couple_case).exists()


def test_outside_working_hours_needs_the_tick(as_user, therapist, couple_case):
    WorkingHours.objects.create(therapist=therapist, weekday=0, starts=time(9), ends=time(17))
    monday = next_weekday(0)
    page = as_user(therapist)
    url = reverse("appointment_book", args=[couple_case.code])
    answer = page.post(url, form_data(at(monday, 17, 30)))
    assert "outside" in answer.content.decode() and "working hours" in answer.content.decode()
    assert not Appointment.objects.exists()
    # Tuesday is not a working day now that hours are set.
    assert "outside" in page.post(url, form_data(at(monday + timedelta(days=1), 10))).content.decode()
    page.post(url, form_data(at(monday, 17, 30), outside_hours="on"))
    (appointment,) = Appointment.objects.all()
    assert appointment.outside_hours


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minutes", "fifty", "whole number of minutes"),
        ("minutes", "3", "at least 5 minutes"),
        ("minutes", "٥٠", "whole number of minutes"),  # noqa: RUF001 (Arabic-Indic digits on purpose)
        ("starts_at", "next tuesday", "for example"),
        ("count", "60", "at most 52"),
        ("video_link", "http://meet.example.org/x", "https://"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_typed_is_lost(
    as_user, therapist, couple_case, field, value, message
):
    data = form_data(at(next_weekday(0), 10), repeat="1", count="4", modality="telehealth")
    data[field] = value
    answer = as_user(therapist).post(reverse("appointment_book", args=[couple_case.code]), data)
    text = answer.content.decode()
    assert answer.status_code == 200 and message in text
    assert f'value="{value}"' in text or value in text
    assert not Appointment.objects.exists()


def test_a_time_that_has_passed_is_not_booked(as_user, therapist, couple_case):
    answer = as_user(therapist).post(
        reverse("appointment_book", args=[couple_case.code]), form_data(timezone.now() - timedelta(days=1))
    )
    assert "That time has passed" in answer.content.decode()


def test_a_change_made_in_another_tab_is_not_overwritten(as_user, therapist, couple_case):
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    page = as_user(therapist)
    page.post(
        reverse("appointment_move", args=[appointment.code]),
        {
            "starts_at": timezone.localtime(at(next_weekday(1), 10)).strftime("%Y-%m-%dT%H:%M"),
            "minutes": "50",
            "modality": "in_person",
            "version": "1",
        },
    )
    stale = page.post(
        reverse("appointment_cancel", args=[appointment.code]),
        {"status": "cancelled", "reason": "asked", "version": "1"},
    )
    assert stale.status_code == 409 and "changed elsewhere" in stale.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "booked" and appointment.version == 2


def test_another_therapist_cannot_reach_or_change_the_appointment(as_user, colleague, couple_case):
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    page = as_user(colleague)
    assert page.get(reverse("appointment_detail", args=[appointment.code])).status_code == 404
    data = {"status": "cancelled", "reason": "x", "version": "1"}
    assert page.post(reverse("appointment_cancel", args=[appointment.code]), data).status_code == 404
    assert page.get(reverse("appointment_book", args=[couple_case.code])).status_code == 404
    assert (
        str(appointment.code)
        not in page.get(reverse("calendar_week_of", args=[next_weekday(0).isoformat()])).content.decode()
    )


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-02-30"])
def test_a_day_outside_any_calendar_is_a_plain_404(as_user, therapist, admin_user, day):
    assert as_user(therapist).get(reverse("calendar_week_of", args=[day])).status_code == 404
    assert as_user(therapist).get(reverse("calendar_day_of", args=[day])).status_code == 404
    assert as_user(admin_user).get(reverse("practice_calendar_of", args=[day])).status_code == 404


def test_the_case_page_lists_appointments_to_come_for_whoever_books_them(
    as_user, therapist, admin_user, supervisor, couple_case
):
    # Admins book too (clinic/accounts/reach.py): their case page lists what is booked and offers to book;
    # the therapist's supervisor does not reach appointments and sees neither.
    therapist.supervisor = supervisor
    therapist.save(update_fields=["supervisor"])
    (appointment,) = booked(couple_case, at(next_weekday(1), 11))
    page = reverse("case_detail", kwargs={"code": couple_case.code})
    book_url = reverse("appointment_book", kwargs={"case_code": couple_case.code})
    for user in (therapist, admin_user):
        body = as_user(user).get(page).content.decode()
        section = body[body.index('id="case-appointments"') :]
        assert f'href="{book_url}"' in section
        assert reverse("appointment_detail", kwargs={"code": appointment.code}) in section
    body = as_user(supervisor).get(page).content.decode()
    assert "case-appointments" not in body and book_url not in body
