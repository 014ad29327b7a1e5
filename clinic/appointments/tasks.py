"""Work the task queue does for the calendar: each reminder at its time (clinic.appointments.reminders)."""

from django_tasks import task

from clinic.appointments import reminders


@task()
def deliver_reminder(reminder_id: int) -> str:
    return reminders.deliver(reminder_id)
