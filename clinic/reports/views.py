from datetime import timedelta

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, case_and_client
from clinic.lib.http import posted
from clinic.lib.widgets import DatePicker
from clinic.reports.documents import case_summary_pdf, client_summary_pdf
from clinic.reports.export import record_zip
from clinic.reports.models import ReportJob
from clinic.reports.summaries import SummaryForm
from clinic.reports.tasks import enqueue, recover_stalled


@role_required(Role.THERAPIST, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def client_summary(request: HttpRequest, case_code, client_code) -> HttpResponse:
    """A client summary PDF. Every one is a disclosure: its purpose and options are recorded first."""
    case, client = case_and_client(request.user, case_code, client_code)
    form = SummaryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = {
            "purpose": form.purpose_text(),
            "notes": data["notes"],
            "from": data["date_from"].isoformat() if data["date_from"] else "",
            "to": data["date_to"].isoformat() if data["date_to"] else "",
            "report": "client_summary",
        }
        record(action=Action.PDF_GENERATED, request=request, target=client, client=client, detail=options)
        if data["notes"] == "full":
            # Full notes can run to many pages: made in the background.
            options.update(case=str(case.code), client=str(client.code))
            return _queue(request, kind="client_summary", options=options)
        pdf, filename = client_summary_pdf(case=case, client=client, options=options, by=request.user)
        return _pdf_response(pdf, filename)
    return render(request, "reports/summary_form.html", {"case": case, "client": client, "form": form})


class PracticeReportForm(forms.Form):
    start = forms.DateField(widget=DatePicker(), label="From")
    end = forms.DateField(widget=DatePicker(), label="To")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date is before the start date.")
        return data


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def practice_report(request: HttpRequest) -> HttpResponse:
    """Aggregates only, no names of clients; small counts shown as "<5"."""
    today = timezone.localdate()
    form = PracticeReportForm(posted(request), initial={"start": today - timedelta(days=90), "end": today})
    if request.method == "POST" and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        record(
            action=Action.PDF_GENERATED,
            request=request,
            detail={
                "report": "practice",
                "from": start.isoformat(),
                "to": end.isoformat(),
                "purpose": "practice report",
            },
        )
        options = {"from": start.isoformat(), "to": end.isoformat()}
        return _queue(request, kind="practice", options=options)
    return render(request, "reports/practice_form.html", {"form": form})


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _queue(request: HttpRequest, *, kind: str, options: dict) -> HttpResponse:
    job = ReportJob.objects.create(kind=kind, requested_by=request.user, options=options)
    enqueue(job)
    return redirect("report_job", code=job.code)


def _own_job(request: HttpRequest, code) -> ReportJob:
    return get_object_or_404(ReportJob.objects.filter(requested_by=request.user), code=code)


@role_required(Role.THERAPIST, Role.ADMIN)
@require_GET
def report_job(request: HttpRequest, code) -> HttpResponse:
    job = _own_job(request, code)
    if job.status == ReportJob.Status.RUNNING and recover_stalled() != (0, 0):
        # The person waiting is told at once when the worker vanished mid-PDF.
        job.refresh_from_db()
    return render(request, "reports/job.html", {"job": job, "waiting": job.status in ("queued", "running")})


@role_required(Role.THERAPIST, Role.ADMIN)
@require_GET
def report_download(request: HttpRequest, code) -> HttpResponse:
    job = _own_job(request, code)
    if job.status != ReportJob.Status.DONE or job.expired or job.pdf is None:
        return render(request, "reports/job.html", {"job": job, "gone": True}, status=410)
    return _pdf_response(bytes(job.pdf), job.filename)


@role_required(Role.THERAPIST, Role.ADMIN)
@require_POST
def report_retry(request: HttpRequest, code) -> HttpResponse:
    job = _own_job(request, code)
    if job.status == ReportJob.Status.FAILED:
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.QUEUED, error="", finished_at=None, started_at=None
        )
        enqueue(job)
    return redirect("report_job", code=job.code)


class CaseSummaryForm(SummaryForm):
    """The same purpose question; an internal document has no notes or period options."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to", "notes"):
            del self.fields[name]


@role_required(Role.THERAPIST, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def case_summary(request: HttpRequest, case_code) -> HttpResponse:
    """Internal, for the treating therapist, a supervisor reviewing it, or an admin; purpose recorded."""
    case = get_object_or_404(Case.objects.visible_to(request.user), code=case_code)
    form = CaseSummaryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        options = {"purpose": form.purpose_text(), "report": "case_summary"}
        for client in case.clients.all():
            record(action=Action.PDF_GENERATED, request=request, target=case, client=client, detail=options)
        pdf, filename = case_summary_pdf(case=case, options=options, by=request.user)
        return _pdf_response(pdf, filename)
    return render(request, "reports/case_summary_form.html", {"case": case, "form": form})


@role_required(Role.THERAPIST, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def client_export(request: HttpRequest, case_code, client_code) -> HttpResponse:
    """A records request: the client's own record as JSON plus the summary PDF, in one ZIP. A recorded disclosure."""
    case, client = case_and_client(request.user, case_code, client_code)
    form = CaseSummaryForm(posted(request))
    if request.method == "POST" and form.is_valid():
        options = {"purpose": form.purpose_text(), "report": "record_export", "notes": "full"}
        record(action=Action.RECORD_EXPORTED, request=request, target=client, client=client, detail=options)
        archive, filename = record_zip(case=case, client=client, by=request.user, purpose=options["purpose"])
        response = HttpResponse(archive, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "reports/export_form.html", {"case": case, "client": client, "form": form})
