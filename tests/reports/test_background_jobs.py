from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clinic.reports.models import ReportJob
from clinic.reports.tasks import make_report


def practice_job(user) -> ReportJob:
    today = timezone.localdate()
    return ReportJob.objects.create(
        kind="practice",
        requested_by=user,
        options={"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()},
    )


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_makes_a_queued_pdf(settings, admin_user):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = practice_job(admin_user)
    make_report.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == "queued"
    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", "--no-reload")
    job.refresh_from_db()
    assert job.status == "done" and bytes(job.pdf).startswith(b"%PDF")
    assert job.filename.startswith("practice-report-")


def test_the_job_page_shows_progress_then_the_download(as_user, admin_user, settings):
    c = as_user(admin_user)
    job = practice_job(admin_user)
    waiting = c.get(reverse("report_job", kwargs={"code": job.code})).content.decode()
    assert 'http-equiv="refresh"' in waiting and "Waiting to start" in waiting
    make_report.enqueue(job.pk)  # immediate backend in tests
    ready = c.get(reverse("report_job", kwargs={"code": job.code})).content.decode()
    assert "Download the PDF" in ready and 'http-equiv="refresh"' not in ready


def test_a_failed_job_says_so_and_can_be_retried(as_user, admin_user):
    c = as_user(admin_user)
    job = ReportJob.objects.create(kind="client_summary", requested_by=admin_user, options={"case": "nope"})
    make_report.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "could not be made" in job.error
    page = c.get(reverse("report_job", kwargs={"code": job.code})).content.decode()
    assert "Try again" in page
    ReportJob.objects.filter(pk=job.pk).update(kind="practice", options=practice_job(admin_user).options)
    c.post(reverse("report_retry", kwargs={"code": job.code}))
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2


def test_finished_pdfs_expire(as_user, admin_user, settings):
    settings.REPORT_TTL_HOURS = 24
    c = as_user(admin_user)
    job = practice_job(admin_user)
    make_report.enqueue(job.pk)
    assert c.get(reverse("report_download", kwargs={"code": job.code})).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        c2 = as_user(admin_user)
        assert c2.get(reverse("report_download", kwargs={"code": job.code})).status_code == 410
        call_command("expire_reports")
    assert not ReportJob.objects.filter(pk=job.pk).exists()


def test_only_the_requester_reaches_a_job(as_user, admin_user, therapist):
    job = practice_job(admin_user)
    make_report.enqueue(job.pk)
    c = as_user(therapist)
    for name in ("report_job", "report_download"):
        assert c.get(reverse(name, kwargs={"code": job.code})).status_code == 404
    assert c.post(reverse("report_retry", kwargs={"code": job.code})).status_code == 404
