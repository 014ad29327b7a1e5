"""A PDF whose worker dies is queued again, then failed with a message: never left "being made"."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clinic.clients.models import Client
from clinic.notes.models import PracticeTag, SessionNote, TherapySession
from clinic.reports.models import ReportJob
from clinic.reports.tasks import STALLED_MESSAGE, make_report, recover_stalled
from tests.reports.test_background_jobs import practice_job

ROOT = Path(__file__).resolve().parents[2]


def running(job: ReportJob, *, minutes_ago: int, attempts: int = 1) -> ReportJob:
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING, started_at=timezone.now() - timedelta(minutes=minutes_ago), attempts=attempts
    )
    job.refresh_from_db()
    return job


def test_a_job_whose_worker_vanished_is_made_again(admin_user, settings):
    settings.REPORT_JOB_STALL_MINUTES = 10
    job = running(practice_job(admin_user), minutes_ago=11)
    assert recover_stalled() == (1, 0)  # the immediate backend in tests makes it at once
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2 and bytes(job.pdf).startswith(b"%PDF")


def test_a_job_still_within_its_time_is_left_to_its_worker(admin_user, settings):
    settings.REPORT_JOB_STALL_MINUTES = 10
    job = running(practice_job(admin_user), minutes_ago=2)
    assert recover_stalled() == (0, 0)
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1


def test_after_its_last_try_the_job_fails_with_a_message_and_can_be_retried(as_user, admin_user, settings):
    settings.REPORT_JOB_STALL_MINUTES = 10
    settings.REPORT_JOB_ATTEMPTS = 3
    job = running(practice_job(admin_user), minutes_ago=30, attempts=3)
    page = as_user(admin_user).get(reverse("report_job", kwargs={"code": job.code})).content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and job.error == STALLED_MESSAGE.format(attempts=3)
    # The person waiting sees it at once: the message, a retry button, no endless refresh.
    assert "interrupted 3 times" in page and "Try again" in page and 'http-equiv="refresh"' not in page
    as_user(admin_user).post(reverse("report_retry", kwargs={"code": job.code}))
    job.refresh_from_db()
    assert job.status == "done"


def test_a_task_delivered_twice_makes_the_pdf_once(admin_user):
    job = practice_job(admin_user)
    make_report.enqueue(job.pk)
    job.refresh_from_db()
    first = (job.status, job.attempts, job.finished_at)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        make_report.enqueue(job.pk)
    job.refresh_from_db()
    assert first[0] == "done" and (job.status, job.attempts, job.finished_at) == first


def test_the_housekeeping_command_recovers_stalled_jobs(admin_user, settings):
    from django.core.management import call_command

    settings.REPORT_JOB_STALL_MINUTES = 10
    job = running(practice_job(admin_user), minutes_ago=11)
    call_command("expire_reports")
    job.refresh_from_db()
    assert job.status == "done"


def worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(job: ReportJob, status: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == status:
            break
        time.sleep(0.02)
    return job.status


def long_record(case, therapist, *, notes: int) -> None:
    text = "The couple named who decides about money and who waits to be asked. " * 40
    for i in range(notes):
        session = TherapySession.objects.create(
            case=case, starts_at=timezone.now() - timedelta(days=notes - i), created_by=therapist
        )
        note = SessionNote.objects.create(session=session, author=therapist, content={"assessment": text, "plan": text})
        PracticeTag.objects.create(note=note, practice="repair", focus=2, evidence="e")
        note.sign(by=therapist)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker process needs a shared database")
@pytest.mark.django_db(transaction=True)
def test_drill_the_worker_is_killed_mid_pdf_and_the_next_worker_finishes_the_job(
    settings, therapist, couple_case, client_user
):
    """A real db_worker is killed (SIGKILL) while WeasyPrint works; the job is recovered and made."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    long_record(couple_case, therapist, notes=60)
    client = Client.objects.get(user=client_user)
    job = ReportJob.objects.create(
        kind="client_summary",
        requested_by=therapist,
        options={"case": str(couple_case.code), "client": str(client.code), "notes": "full", "purpose": "continuity"},
    )
    make_report.enqueue(job.pk)
    db = connection.settings_dict
    env = {
        **os.environ,
        "TASKS_BACKEND": "database",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    first = worker(env)
    try:
        assert wait_for(job, "running", timeout=30) == "running", "the worker never took the job"
        time.sleep(0.3)  # well inside the PDF (60 full notes take seconds)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    job.refresh_from_db()
    assert job.status == "running" and job.pdf is None, "the PDF finished before the worker was killed"

    # Ten minutes on, the lost job is noticed and queued again; the next worker makes it.
    assert recover_stalled(now=timezone.now() + timedelta(minutes=settings.REPORT_JOB_STALL_MINUTES + 1)) == (1, 0)
    assert ReportJob.objects.get(pk=job.pk).status == "queued"
    second = worker(env)
    try:
        status = wait_for(job, "done", timeout=60)
    finally:
        second.terminate()
        _, err = second.communicate(timeout=10)
    assert status == "done", err.decode()[-2000:]
    assert job.attempts == 2 and bytes(job.pdf).startswith(b"%PDF")
