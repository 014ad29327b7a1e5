"""Reminders: only by the channel the client chose while it is safe, only in their times, neutral, sent once."""

from datetime import time, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinic.appointments.booking import cancel, move
from clinic.appointments.models import Reminder
from clinic.appointments.reminders import deliver, due_time, send_due
from clinic.lib.neutral import care_words
from tests.appointments.helpers import at, booked, next_weekday

pytestmark = pytest.mark.django_db


def wants(client, channel: str, *, start=time(0, 0), end=time(23, 59), names=False, **contact):
    values = {"may_email": True, "email": "jo@example.org", "may_text": True, "phone": "+12135550101"}
    values.update(contact)
    for name, value in values.items():
        setattr(client, name, value)
    client.reminder_channel, client.reminder_from, client.reminder_until = channel, start, end
    client.reminder_names_practice = names
    client.save()
    return client


def test_no_reminder_is_planned_until_the_client_chooses_a_channel(couple_case, person, partner):
    booked(couple_case, at(next_weekday(0), 10))
    assert not Reminder.objects.exists()


def test_a_reminder_goes_a_day_before_by_the_chosen_channel_only(couple_case, person, partner, sms_outbox):
    wants(person, "email")
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    (reminder,) = Reminder.objects.all()
    assert reminder.client == person and reminder.channel == "email"
    assert reminder.due_at == appointment.starts_at - timedelta(hours=24)
    assert send_due(now=reminder.due_at) == {"sent": 1}
    (message,) = mail.outbox
    assert message.to == ["jo@example.org"] and sms_outbox == []
    # Sent once: running again (a second worker, a retry, housekeeping) sends nothing more.
    assert deliver(reminder.pk, now=reminder.due_at) == "done"
    assert send_due(now=reminder.due_at + timedelta(minutes=5)) == {}
    assert len(mail.outbox) == 1


def test_the_words_are_neutral_and_name_the_practice_only_if_the_client_allowed_it(couple_case, person, partner):
    wants(person, "email")
    wants(partner, "email", email="sam@example.org", names=True)
    (appointment,) = booked(
        couple_case, at(next_weekday(0), 10), modality="telehealth", video_link="https://v.example/x"
    )
    send_due(now=appointment.starts_at - timedelta(hours=24))
    by_address = {m.to[0]: m for m in mail.outbox}
    plain, named = by_address["jo@example.org"], by_address["sam@example.org"]
    assert plain.subject.startswith("Reminder: your appointment on ")
    assert "you have an appointment on Monday" in plain.body and "by video" in plain.body
    assert settings.PRACTICE_NAME not in plain.body + plain.subject
    assert care_words(plain.body + plain.subject) == []
    assert "https://v.example/x" not in plain.body + named.body
    assert settings.PRACTICE_NAME in named.body and appointment.therapist.get_full_name() in named.body


def test_a_text_message_reminder_goes_through_the_sms_backend(couple_case, person, sms_outbox):
    wants(person, "text")
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    send_due(now=appointment.starts_at - timedelta(hours=24))
    (text,) = sms_outbox
    assert text.to == "+12135550101" and "Reminder: you have an appointment" in text.body
    assert mail.outbox == []


def test_a_reminder_due_outside_the_clients_times_goes_earlier_inside_them(couple_case, person):
    wants(person, "email", start=time(18), end=time(21))
    monday = next_weekday(0)
    (appointment,) = booked(couple_case, at(monday, 9))
    (reminder,) = Reminder.objects.all()
    # A day before is Sunday 09:00, outside 18:00-21:00: it goes on Saturday evening instead.
    assert timezone.localtime(reminder.due_at) == at(monday - timedelta(days=2), 20, 45)
    assert due_time(person, appointment.starts_at, 24, now=appointment.starts_at - timedelta(hours=2)) is None


def test_a_reminder_that_finds_itself_outside_the_times_waits_for_them(couple_case, person):
    wants(person, "email", start=time(9), end=time(17))
    booked(couple_case, at(next_weekday(2), 10))
    (reminder,) = Reminder.objects.all()
    person.reminder_from, person.reminder_until = time(12), time(13)
    person.save()
    assert deliver(reminder.pk, now=reminder.due_at) == "moved"
    reminder.refresh_from_db()
    assert reminder.status == "pending" and timezone.localtime(reminder.due_at).time() == time(12)
    assert mail.outbox == []


def test_a_cancelled_appointment_sends_no_reminder(couple_case, person, therapist):
    wants(person, "email")
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    cancel(appointment=appointment, status="cancelled", reason="asked", version=1, by=therapist)
    assert send_due(now=appointment.starts_at - timedelta(hours=23)) == {}
    assert Reminder.objects.get().status == "cancelled" and mail.outbox == []


def test_a_channel_no_longer_safe_is_not_used(couple_case, person):
    wants(person, "text")
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    person.may_text = False
    person.save()
    assert send_due(now=appointment.starts_at - timedelta(hours=24)) == {"skipped": 1}
    reminder = Reminder.objects.get()
    assert reminder.status == "skipped" and "not safe" in reminder.outcome


def test_moving_an_appointment_plans_a_new_reminder_and_keeps_the_one_sent(couple_case, person, therapist):
    wants(person, "email")
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    send_due(now=appointment.starts_at - timedelta(hours=24))
    move(appointment=appointment, starts_at=at(next_weekday(2), 15), minutes=50, version=1, by=therapist)
    rows = list(Reminder.objects.order_by("id").values_list("status", "for_starts_at"))
    assert rows == [("sent", appointment.starts_at), ("pending", at(next_weekday(2), 15))]


def test_a_reminder_left_by_a_lost_worker_is_sent_by_housekeeping(couple_case, person):
    from django.core.management import call_command

    wants(person, "email")
    booked(couple_case, timezone.now() + timedelta(hours=3), outside_hours=True)
    call_command("send_due_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Reminder.objects.get().status == "sent" and len(mail.outbox) == 1


def test_a_reminder_is_never_sent_after_the_appointment_started(couple_case, person):
    wants(person, "email")
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    assert send_due(now=appointment.starts_at - timedelta(minutes=10)) == {"skipped": 1}
    assert mail.outbox == []


def test_choosing_reminders_later_plans_them_for_appointments_already_booked(as_user, client_user, couple_case, person):
    (appointment,) = booked(couple_case, at(next_weekday(0), 10))
    assert not Reminder.objects.exists()
    data = {
        "version": "0",
        "may_email": "on",
        "email": "jo@example.org",
        "reminder_channel": "email",
        "reminder_from": "08:00",
        "reminder_until": "20:00",
    }
    as_user(client_user).post(reverse("contact_choices"), data)
    (reminder,) = Reminder.objects.filter(status="pending")
    assert reminder.client == person and reminder.channel == "email"
    # Turning them off again withdraws it.
    person.refresh_from_db()
    data.update(version=str(person.contact_version), reminder_channel="")
    as_user(client_user).post(reverse("contact_choices"), data)
    assert not Reminder.objects.filter(status="pending").exists()
    assert appointment.reminders.get().status == "cancelled"


def test_reminders_by_a_way_not_ticked_safe_are_refused_with_a_clear_message(as_user, client_user, person):
    data = {"version": "0", "reminder_channel": "text", "reminder_from": "08:00", "reminder_until": "20:00"}
    text = as_user(client_user).post(reverse("contact_choices"), data).content.decode()
    assert "Reminders by text message need text messages to be ticked as safe" in text
    person.refresh_from_db()
    assert person.reminder_channel == ""
