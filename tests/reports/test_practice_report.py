import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from clinic.audit.models import Action, AuditEvent
from clinic.clients.models import Client
from clinic.demo import HISTORY_CLIENTS
from clinic.reports.models import ReportJob
from clinic.reports.practice import build, shown


def test_small_counts_are_suppressed():
    assert [shown(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]


def test_the_report_counts_the_demo_practice_without_names(as_user, admin_user, db, first_page_png):
    call_command("seed_demo")
    today = timezone.localdate()
    report = build(start=today.replace(year=today.year - 1), end=today)
    rows = dict(report.rows)
    # Twelve for each demo couple, Lucía's first one (just held), four for each made-up past client.
    assert rows["Sessions held"] == str(24 + 1 + 4 * HISTORY_CLIENTS)
    assert rows["Risk flags raised"] == "<5"
    assert dict(report.tags)["Repair"] not in ("0", "")
    c = as_user(admin_user)
    queued = c.post(
        reverse("practice_report"),
        {"start": today.replace(year=today.year - 1).isoformat(), "end": today.isoformat(), "version": "release"},
    )
    job = ReportJob.objects.get()
    assert queued.url == reverse("report_job", kwargs={"code": job.code})
    response = c.get(reverse("report_download", kwargs={"code": job.code}))
    assert response["Content-Type"] == "application/pdf"
    assert first_page_png("practice-report", response.content).stat().st_size > 1000
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Signed notes by practice" in text and "Open cases per therapist" in text
    for client in Client.objects.all():
        assert client.full_name not in text
    assert AuditEvent.objects.filter(action=Action.PDF_GENERATED, detail__report="practice").exists()


def test_the_report_runs_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    call_command("seed_demo")
    today = timezone.localdate()
    with django_assert_max_num_queries(15):
        build(start=today.replace(year=today.year - 1), end=today)


@pytest.mark.parametrize("who", ["therapist", "client_user"])
def test_only_admins_make_the_practice_report(request, as_user, who):
    assert as_user(request.getfixturevalue(who)).get(reverse("practice_report")).status_code == 404


def test_a_reversed_period_is_explained(as_user, admin_user):
    response = as_user(admin_user).post(reverse("practice_report"), {"start": "2026-05-02", "end": "2026-05-01"})
    assert "The end date is before the start date" in response.content.decode()
