"""Appointment reminders: by the one channel the client chose, only while it is safe, only in their reminder times.

A Reminder row is planned for each client of a booked appointment, per offset
in settings.REMINDER_HOURS_BEFORE, when the client chose a reminder channel.
Its time is the offset moved *earlier* into the client's reminder times (a
reminder due at 02:00 goes the evening before); one that could only go after
the appointment has started is not sent.

Delivery (`deliver`) runs on the task queue at the reminder's time. It locks
the reminder's row and sends inside that transaction, then marks it sent: a
second worker running the same reminder waits for the lock, then finds it sent,
so each goes once. A task lost with a worker that died stays pending in the
database, and `send_due` (`manage.py send_due_reminders`, run by
bin/housekeeping every few minutes) sends what is due and unsent. Everything is
checked again at the moment of sending: the appointment still booked, the
channel still chosen and safe, the time still inside the client's times.

The words are neutral: no kind of care, no title, no practice name unless the
client allowed it; never the video link (it is on their appointments page).
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from assessments.checkins import people_in
from clinic.appointments.models import Appointment, AppointmentStatus, Reminder, ReminderChannel, ReminderStatus
from clinic.clients.models import Client
from clinic.lib import language
from clinic.lib.dates import show
from clinic.lib.sms import send_text

log = logging.getLogger(__name__)

# A reminder is never planned closer to the start than this.
LAST_MOMENT = timedelta(minutes=30)
# How late a worker may run a reminder and still send it (beyond this it is skipped: "too late").
GRACE = timedelta(hours=2)


def _at(day, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def in_window(client: Client, moment: datetime) -> bool:
    clock = timezone.localtime(moment).time()
    return client.reminder_from <= clock < client.reminder_until


def _latest_in_window(client: Client, target: datetime) -> datetime:
    """The latest moment not after `target` inside the client's reminder times."""
    local = timezone.localtime(target)
    last = max(
        client.reminder_from, (datetime.combine(local.date(), client.reminder_until) - timedelta(minutes=15)).time()
    )
    if in_window(client, target):
        return target
    if local.time() >= client.reminder_until:
        return _at(local.date(), last)
    return _at(local.date() - timedelta(days=1), last)


def _earliest_in_window(client: Client, moment: datetime) -> datetime:
    """The earliest moment not before `moment` inside the client's reminder times."""
    if in_window(client, moment):
        return moment
    local = timezone.localtime(moment)
    if local.time() < client.reminder_from:
        return _at(local.date(), client.reminder_from)
    return _at(local.date() + timedelta(days=1), client.reminder_from)


def due_time(client: Client, starts_at: datetime, hours_before: int, now: datetime) -> datetime | None:
    """When this reminder should go, or None when no moment in the client's times is left before the start."""
    due = _latest_in_window(client, starts_at - timedelta(hours=hours_before))
    if due < now:
        due = _earliest_in_window(client, now)
    return due if due <= starts_at - LAST_MOMENT else None


def chosen_channel(client: Client) -> str:
    """The channel reminders may use now: the client's choice, if that way is still safe and has an address."""
    if client.reminder_channel == ReminderChannel.EMAIL and client.may_email and client.email:
        return ReminderChannel.EMAIL
    if client.reminder_channel == ReminderChannel.TEXT and client.may_text and client.phone:
        return ReminderChannel.TEXT
    return ""


def plan_reminders(appointment: Appointment, now: datetime | None = None) -> list[Reminder]:
    """(Re)plan the reminders of a booked appointment after booking or moving it; returns the pending ones."""
    now = now or timezone.now()
    planned = []
    withdraw_reminders(appointment)
    if not appointment.is_booked:
        return planned
    for client in people_in(appointment):
        channel = chosen_channel(client)
        if not channel:
            continue
        for hours in settings.REMINDER_HOURS_BEFORE:
            due = due_time(client, appointment.starts_at, hours, now)
            if due is None:
                continue
            # One row per time the appointment was booked for: a reminder sent before a move stays on record.
            reminder, created = Reminder.objects.get_or_create(
                appointment=appointment,
                client=client,
                channel=channel,
                hours_before=hours,
                for_starts_at=appointment.starts_at,
                defaults={"due_at": due},
            )
            if not created:
                if reminder.status == ReminderStatus.SENT:
                    continue
                reminder.status, reminder.due_at, reminder.outcome = ReminderStatus.PENDING, due, ""
                reminder.save(update_fields=["status", "due_at", "outcome"])
            planned.append(reminder)
            _enqueue(reminder)
    return planned


def replan_for_client(client: Client, now: datetime | None = None) -> int:
    """After the client changed how or when reminders may reach them: plan their booked appointments' again."""
    now = now or timezone.now()
    upcoming = Appointment.objects.with_client(client).filter(status=AppointmentStatus.BOOKED, starts_at__gt=now)
    count = 0
    for appointment in upcoming.select_related("case"):
        plan_reminders(appointment, now=now)
        count += 1
    return count


def withdraw_reminders(appointment: Appointment) -> int:
    """Reminders not yet sent are not needed any more (the appointment was moved, cancelled or recorded)."""
    return Reminder.objects.filter(appointment=appointment, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.CANCELLED, outcome="The appointment changed."
    )


def _enqueue(reminder: Reminder) -> None:
    """Put the reminder on the queue for its time, once the change that planned it is saved.

    A queue that cannot hold work for later (the immediate backend of the demo and tests)
    gets nothing: `send_due`, run by housekeeping, sends it when due.
    """
    from django_tasks import default_task_backend

    from clinic.appointments.tasks import deliver_reminder

    if not default_task_backend.supports_defer:
        return
    pk, due = reminder.pk, reminder.due_at
    transaction.on_commit(lambda: deliver_reminder.using(run_after=due).enqueue(pk))


def text_for(reminder: Reminder) -> tuple[str, str]:
    """(subject, body) in neutral words, in the client's language."""
    appointment, client = reminder.appointment, reminder.client
    with language.speaking(client.language):
        words = {
            "day": show(appointment.starts_at, "l"),
            "date": show(appointment.starts_at, "DATE_FORMAT"),
            "time": show(appointment.starts_at, "TIME_FORMAT"),
        }
        if client.reminder_names_practice:
            body = gettext(
                "Reminder: your appointment with %(therapist)s at %(practice)s is on %(day)s, %(date)s at %(time)s."
            ) % {**words, "therapist": appointment.therapist.get_full_name(), "practice": settings.PRACTICE_NAME}
        else:
            body = gettext("Reminder: you have an appointment on %(day)s, %(date)s at %(time)s.") % words
        if appointment.is_telehealth:
            body += " " + gettext("It is by video: the link is on your appointments page when you sign in.")
        subject = gettext("Reminder: your appointment on %(date)s") % {
            "date": show(appointment.starts_at, "MONTH_DAY_FORMAT")
        }
    return subject, body


def _send(reminder: Reminder) -> None:
    subject, body = text_for(reminder)
    client = reminder.client
    if reminder.channel == ReminderChannel.EMAIL:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[client.email])
    else:
        send_text(to=client.phone, body=body)


def deliver(reminder_id: int, now: datetime | None = None) -> str:
    """Send one reminder if it is due and still right to send; what happened, in one word (for tests and logs)."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("appointment__therapist", "client")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.status != ReminderStatus.PENDING:
            return "done"
        if reminder.due_at > now + timedelta(seconds=30):
            return "early"  # moved later; the task enqueued with the new time sends it
        appointment, client = reminder.appointment, reminder.client
        if appointment.status != AppointmentStatus.BOOKED:
            return _close(reminder, ReminderStatus.CANCELLED, "The appointment is no longer booked.")
        if now >= appointment.starts_at - LAST_MOMENT or now - reminder.due_at > GRACE:
            return _close(reminder, ReminderStatus.SKIPPED, "Too late to be useful.")
        if chosen_channel(client) != reminder.channel:
            return _close(reminder, ReminderStatus.SKIPPED, "The client no longer chose this way, or it is not safe.")
        if not in_window(client, now):
            due = _earliest_in_window(client, now)
            if due > appointment.starts_at - LAST_MOMENT:
                return _close(reminder, ReminderStatus.SKIPPED, "No time the client allowed was left before it.")
            reminder.due_at = due
            reminder.save(update_fields=["due_at"])
            _enqueue(reminder)
            return "moved"
        _send(reminder)
        reminder.status, reminder.sent_at, reminder.outcome = ReminderStatus.SENT, now, ""
        reminder.save(update_fields=["status", "sent_at", "outcome"])
    log.info("reminder sent", extra={"reminder": reminder.pk, "channel": reminder.channel})
    return "sent"


def _close(reminder: Reminder, status: str, outcome: str) -> str:
    reminder.status, reminder.outcome = status, outcome
    reminder.save(update_fields=["status", "outcome"])
    return status


def send_due(now: datetime | None = None) -> dict[str, int]:
    """Deliver every pending reminder whose time has come (the catch-up after a worker was down)."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    due = Reminder.objects.filter(status=ReminderStatus.PENDING, due_at__lte=now).values_list("pk", flat=True)
    for pk in list(due):
        outcome = deliver(pk, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
