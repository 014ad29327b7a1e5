"""Real db_worker processes: each reminder goes once with two workers running, and none is lost across a restart."""

import os
import signal
import subprocess
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from clinic.appointments.models import Reminder
from clinic.appointments.tasks import deliver_reminder
from clinic.lib.sms import read_file_outbox
from tests.appointments.helpers import booked
from tests.factories import make_case
from tests.reports.test_worker_faults import worker

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes need a shared database"),
    pytest.mark.django_db(transaction=True),
]


def texting_case(therapist, n: int):
    """A case whose client wants reminders by text at any hour, with the number 213 555 01nn."""
    case = make_case(therapist=therapist, kind="individual")
    client = case.clients.get()
    client.phone, client.may_text, client.reminder_channel = f"(213) 555-01{n:02d}", True, "text"
    client.reminder_from, client.reminder_until = clock(0, 0), clock(23, 59)
    client.save()
    return case


def environment(folder: Path) -> dict:
    db = connection.settings_dict
    return {
        **os.environ,
        "TASKS_BACKEND": "database",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SMS_BACKEND": "clinic.lib.sms.FileBackend",
        "SMS_FILE_PATH": str(folder),
    }


def wait_until_sent(count: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    sent = 0
    while time.monotonic() < deadline:
        sent = Reminder.objects.filter(status="sent").count()
        if sent >= count:
            break
        time.sleep(0.1)
    return sent


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        _, err = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err.decode()[-2000:]


def test_two_workers_send_each_reminder_exactly_once(settings, therapist, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    count = 12
    for n in range(count):
        # Tomorrow, a little before this time: the 24-hour reminder is due now.
        starts = timezone.now() + timedelta(hours=23, minutes=5 * n)
        case = texting_case(therapist, n)
        booked(case, starts, minutes=5, format="individual", individual_client=case.clients.get(), outside_hours=True)
    assert Reminder.objects.filter(status="pending").count() == count
    # Every reminder is on the queue twice, as a retried or repeated task would be.
    for pk in Reminder.objects.values_list("pk", flat=True):
        deliver_reminder.enqueue(pk)
    env = environment(tmp_path)
    first, second = worker(env), worker(env)
    try:
        sent = wait_until_sent(count, timeout=60)
        time.sleep(1.5)  # let both workers finish every task still queued
    finally:
        errors = stop(first) + stop(second)
    assert sent == count, errors
    messages = read_file_outbox(tmp_path)
    numbers = sorted(m["to"] for m in messages)
    assert numbers == sorted(f"+121355501{n:02d}" for n in range(count)), errors
    # Both workers took part (one file per process), and together they sent nothing twice.
    assert len(list(tmp_path.glob("*.jsonl"))) in (1, 2)


def test_a_reminder_queued_before_a_worker_is_killed_is_sent_by_the_next_one(settings, therapist, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    case = texting_case(therapist, 1)
    starts = timezone.now() + timedelta(hours=24, minutes=2)
    booked(case, starts, format="individual", individual_client=case.clients.get(), outside_hours=True)
    # Its time comes in four seconds (as a reminder moved into the client's times would): the first
    # worker is killed before then, with the reminder's task still waiting on the queue.
    (reminder,) = Reminder.objects.all()
    due = timezone.now() + timedelta(seconds=4)
    Reminder.objects.filter(pk=reminder.pk).update(due_at=due)
    deliver_reminder.using(run_after=due).enqueue(reminder.pk)
    env = environment(tmp_path)
    first = worker(env)
    time.sleep(1.0)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    reminder.refresh_from_db()
    assert reminder.status == "pending"
    second = worker(env)
    try:
        sent = wait_until_sent(1, timeout=30)
    finally:
        errors = stop(second)
    assert sent == 1, errors
    (message,) = read_file_outbox(tmp_path)
    assert message["to"] == "+12135550101" and "Reminder: you have an appointment" in message["body"]
