from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.decorators import reach_required, role_required
from clinic.accounts.models import Role
from clinic.accounts.reach import Kind, Level
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client, case_and_client
from clinic.lib.dates import show
from clinic.lib.http import posted
from clinic.lib.widgets import DatePicker
from clinic.releases import releasing
from clinic.releases import views as release_views
from clinic.releases.models import Release
from clinic.reports.documents import case_summary_pdf, client_summary_pdf, treatment_plan_pdf
from clinic.reports.models import ReportJob
from clinic.reports.practice import RELEASE, VERSIONS
from clinic.reports.releasefiles import release_file
from clinic.reports.summaries import INTERNAL_PURPOSES, SummaryForm
from clinic.reports.tasks import enqueue, recover_stalled


@reach_required(Kind.DOCUMENTS, Level.WRITE)
@require_http_methods(["GET", "POST"])
def client_summary(request: HttpRequest, case_code, client_code) -> HttpResponse:
    """A client summary PDF. Every one is a disclosure: its purpose and options are recorded first."""
    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.DOCUMENTS, level=Level.WRITE)
    form = SummaryForm(
        posted(request), authorizations=_third_party_authorizations(case, client), client_language=client.language
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = {
            "purpose": form.purpose_text(),
            "notes": data["notes"],
            "from": data["date_from"].isoformat() if data["date_from"] else "",
            "to": data["date_to"].isoformat() if data["date_to"] else "",
            "report": "client_summary",
            "language": data["language"],
        }
        if data["purpose"] not in INTERNAL_PURPOSES:
            # Outside the treating team: a release, reviewed by the treating therapist before it leaves.
            return _prepare_release(request, case, client, form, kind="summary", options=options)
        record(action=Action.PDF_GENERATED, request=request, target=client, client=client, detail=options)
        if data["notes"] == "full":
            # Full notes can run to many pages: made in the background.
            options.update(case=str(case.code), client=str(client.code), internal=True)
            return _queue(request, kind="client_summary", options=options)
        pdf, filename = client_summary_pdf(case=case, client=client, options=options, by=request.user)
        return _pdf_response(pdf, filename)
    return render(request, "reports/summary_form.html", {"case": case, "client": client, "form": form})


def _third_party_authorizations(case, client):
    """The other partner's authorizations in force to a third party (conjoint notes, shared material or both)."""
    from clinic.releases.models import ReleaseAuthorization

    if case.kind != Case.Kind.COUPLE:
        return []
    given = ReleaseAuthorization.objects.filter(case=case).exclude(authorizing_client=client).in_force()
    return list(given.to_third_party().order_by("-expires_on"))


def _prepare_release(request, case, client, form, *, kind: str, options: dict) -> HttpResponse:
    from clinic.releases.releasing import prepare

    data = form.cleaned_data
    release = prepare(
        case=case,
        client=client,
        kind=kind,
        purpose=data["purpose"],
        purpose_other=data.get("purpose_other", ""),
        recipient_name=data.get("recipient_name", ""),
        authorization=data.get("authorization"),
        options={key: value for key, value in options.items() if key in ("notes", "from", "to", "language")},
        by=request.user,
        request=request,
    )
    if not release.may_review(request.user):
        messages.success(request, "Prepared. The case's therapist reviews it before it can be downloaded.")
    return redirect("release_detail", code=release.code)


REPORT_DATES = [
    MinValueValidator(date(2000, 1, 1), message="Choose a date from the year 2000 on."),
    MaxValueValidator(date(2999, 12, 31), message="Choose a date before the year 3000."),
]


class PracticeReportForm(forms.Form):
    # Bounded so that a mistyped year is a form error, not an overflow when the job adds time zones.
    start = forms.DateField(widget=DatePicker(), label="From", validators=REPORT_DATES)
    end = forms.DateField(widget=DatePicker(), label="To", validators=REPORT_DATES)
    version = forms.ChoiceField(
        choices=VERSIONS,
        initial=RELEASE,
        widget=forms.RadioSelect,
        label="Version",
        help_text="Internal shows exact counts and is marked Internal; keep it inside the practice.",
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date is before the start date.")
        return data


PRACTICE_ABOUT = (
    "Counts for a period: intakes, questionnaires, flags, sessions and practices, unsigned notes and "
    "caseloads. No client is named."
)
OUTCOMES_ABOUT = (
    "For a period: cases with a signed plan; how clients' answers to the power questionnaire changed "
    "(reliable change, by the band they started in, and per domain); session check-ins and balance alerts; "
    "practices beside outcomes; and how reliable the questionnaire is in this practice. No client is named."
)


def _aggregate_report(request: HttpRequest, *, kind: str, heading: str, about: str) -> HttpResponse:
    """The practice and outcomes reports: a period and a version, made on the task queue, audited."""
    today = timezone.localdate()
    form = PracticeReportForm(posted(request), initial={"start": today - timedelta(days=90), "end": today})
    if request.method == "POST" and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        record(
            action=Action.PDF_GENERATED,
            request=request,
            detail={
                "report": kind,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "purpose": f"{kind} report",
                "version": form.cleaned_data["version"],
            },
        )
        options = {"from": start.isoformat(), "to": end.isoformat(), "version": form.cleaned_data["version"]}
        return _queue(request, kind=kind, options=options)
    return render(request, "reports/practice_form.html", {"form": form, "heading": heading, "about": about})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def practice_report(request: HttpRequest) -> HttpResponse:
    """Aggregates only, no names of clients; the release version shows small counts as "<5"."""
    return _aggregate_report(request, kind="practice", heading="Practice report", about=PRACTICE_ABOUT)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def outcomes_report(request: HttpRequest) -> HttpResponse:
    """Aggregates only (clinic/reports/outcomes.py); the release version suppresses small counts."""
    return _aggregate_report(request, kind="outcomes", heading="Outcomes report", about=OUTCOMES_ABOUT)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    kind = "application/zip" if filename.endswith(".zip") else "application/pdf"
    response = HttpResponse(pdf, content_type=kind)
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
    waiting = job.status in ("queued", "running")
    if not waiting:
        # The page of a finished document (ready, failed or gone); the waiting page refreshes itself and says nothing.
        record(action=Action.REPORT_VIEWED, request=request, target=job, detail=_job_detail(job))
    return render(request, "reports/job.html", {"job": job, "waiting": waiting})


def _job_detail(job: ReportJob) -> dict:
    return {"report": job.kind, **{key: job.options[key] for key in ("from", "to", "notes") if key in job.options}}


def _job_client(job: ReportJob):
    """The client whose record a background PDF holds, if it is one person's."""
    code = job.options.get("client")
    return Client.objects.filter(code=code).first() if code else None


@role_required(Role.THERAPIST, Role.ADMIN)
@require_GET
def report_download(request: HttpRequest, code) -> HttpResponse:
    job = _own_job(request, code)
    if job.kind == "release":
        return _stored_release_file(request, job)
    if job.status != ReportJob.Status.DONE or job.expired or job.pdf is None:
        return render(request, "reports/job.html", {"job": job, "gone": True}, status=410)
    else:
        client = _job_client(job)
        record(
            action=Action.PDF_DOWNLOADED, request=request, target=client or job, client=client, detail=_job_detail(job)
        )
    return _pdf_response(bytes(job.pdf), job.filename)


def _stored_release_file(request: HttpRequest, job: ReportJob) -> HttpResponse:
    """A release's stored file: handed out only through the release gate, as it stands now (410 otherwise)."""
    release = get_object_or_404(Release.objects.visible_to(request.user), code=job.options["release"])
    if job.status != ReportJob.Status.DONE:
        return render(request, "reports/job.html", {"job": job, "gone": True}, status=410)
    if job.expired or job.pdf is None:
        reason = job.options.get("purged") or "file_expired"
        releasing.refuse(release=release, reason=reason, by=request.user, request=request)
        return _refused_file(request, job, release, releasing.REFUSALS[reason])
    try:
        data, filename = releasing.hand_out(
            release=release,
            by=request.user,
            make=lambda contents: (bytes(job.pdf), job.filename),
            stored_fingerprint=job.options.get("fingerprint", ""),
            request=request,
        )
    except releasing.Refused as refused:
        return _refused_file(request, job, release, refused.words)
    return _pdf_response(data, filename)


def _refused_file(request: HttpRequest, job: ReportJob, release, words: str) -> HttpResponse:
    context = {"job": job, "gone": True, "refused": words, "release": release}
    return render(request, "reports/job.html", context, status=410)


@role_required(Role.THERAPIST, Role.ADMIN)
@require_POST
def release_download(request: HttpRequest, code) -> HttpResponse:
    """A release through the release gate, whatever its state; long documents are made in the background, once."""
    release = get_object_or_404(
        Release.objects.visible_to(request.user).select_related("case__primary_therapist", "client", "prepared_by"),
        code=code,
    )
    try:
        if release.full_notes:
            return redirect("report_job", code=_release_job(request, release).code)
        data, filename = releasing.hand_out(
            release=release,
            by=request.user,
            make=lambda contents: release_file(contents=contents, by=request.user),
            request=request,
        )
    except releasing.Refused as refused:
        release.refresh_from_db()
        changed = refused.reason not in ("not_confirmed", "cancelled")
        return release_views.review_page(request, release, changed=changed, status=409)
    return _pdf_response(data, filename)


def _release_job(request: HttpRequest, release) -> ReportJob:
    """The background file of a release for this person: the one already waiting or ready, or a new one.

    Checked now (the job checks again when it runs, and the download once more); the release row is locked so
    that two clicks at once make one job. A refusal is recorded and raised after the check's changes are kept.
    """
    refused = None
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        try:
            releasing.checked_contents(release)
        except releasing.Refused as refusal:
            releasing.refuse(release=release, reason=refusal.reason, by=request.user, request=request)
            refused = refusal
        else:
            mine = ReportJob.objects.filter(
                kind="release", requested_by=request.user, options__release=str(release.code)
            )
            for job in mine.filter(
                status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING, ReportJob.Status.DONE]
            ):
                if job.status != ReportJob.Status.DONE or (
                    job.options.get("fingerprint") == release.confirmed_fingerprint
                    and not job.expired
                    and job.pdf is not None
                ):
                    return job
            job = ReportJob.objects.create(
                kind="release",
                requested_by=request.user,
                options={"release": str(release.code), "file": "zip" if release.kind == Release.Kind.EXPORT else "pdf"},
            )
            enqueue(job)
            return job
    raise refused


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
    """The same purpose question, inside the treating team only; an internal document has no notes or period
    options. It holds both partners' material, so it never leaves the team: anything for outside is a client
    summary or a record export, which goes through review as a release."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to", "notes", "recipient_name", "authorization"):
            self.fields.pop(name, None)
        self.fields["purpose"].choices = [
            (key, label) for key, label in self.fields["purpose"].choices if key in ("", *INTERNAL_PURPOSES)
        ]
        self.fields["purpose"].error_messages["invalid_choice"] = (
            "This document stays inside the treating team. For anyone else, make a client summary or a record"
            " export from the client's record: the case's therapist reviews it before it leaves."
        )
        self.fields["purpose"].help_text = (
            "Inside the treating team only. For the client, a court or anyone else, make a client summary or a record"
            " export instead: it is reviewed before it leaves."
        )


@reach_required(Kind.DOCUMENTS, Level.WRITE)
@require_http_methods(["GET", "POST"])
def case_summary(request: HttpRequest, case_code) -> HttpResponse:
    """Internal, for the treating therapist or an admin (who make documents: clinic.accounts.reach); purpose
    recorded. A supervisor reads one the treating team makes for supervision."""
    case = get_object_or_404(Case.objects.reaching(request.user, Kind.DOCUMENTS, Level.WRITE), code=case_code)
    form = CaseSummaryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        options = {"purpose": form.purpose_text(), "report": "case_summary"}
        for client in case.clients.all():
            record(action=Action.PDF_GENERATED, request=request, target=case, client=client, detail=options)
        pdf, filename = case_summary_pdf(case=case, options=options, by=request.user)
        return _pdf_response(pdf, filename)
    return render(request, "reports/case_summary_form.html", {"case": case, "form": form})


class PlanPdfForm(CaseSummaryForm):
    """The purpose (every PDF is a recorded disclosure), and which signed version."""

    version = forms.TypedChoiceField(label="Version", coerce=int)

    def __init__(self, *args, versions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [
            (v.number, f"Version {v.number}, signed {show(v.signed_at)}{' (in force)' if i == 0 else ''}")
            for i, v in enumerate(versions)
        ]
        if versions:
            self.fields["version"].initial = versions[0].number


@reach_required(Kind.DOCUMENTS, Level.WRITE)
@require_http_methods(["GET", "POST"])
def plan_pdf(request: HttpRequest, case_code) -> HttpResponse:
    """The treatment plan for the record (internal): who may make the case summary may make it; others get 404."""
    from clinic.plans.models import TreatmentPlan
    from clinic.reports.plans import signed_versions

    case = get_object_or_404(Case.objects.reaching(request.user, Kind.DOCUMENTS, Level.WRITE), code=case_code)
    plan = TreatmentPlan.objects.filter(case=case).first()
    versions = signed_versions(plan) if plan else []
    form = PlanPdfForm(request.POST if request.method == "POST" else None, versions=versions)
    if request.method == "POST" and versions and form.is_valid():
        number = form.cleaned_data["version"]
        version = next(v for v in versions if v.number == number)
        options = {"purpose": form.purpose_text(), "report": "treatment_plan", "version": number}
        for client in case.clients.all():
            record(action=Action.PDF_GENERATED, request=request, target=version, client=client, detail=options)
        pdf, filename = treatment_plan_pdf(case=case, options=options, by=request.user, number=number)
        return _pdf_response(pdf, filename)
    return render(request, "reports/plan_pdf_form.html", {"case": case, "form": form, "versions": versions})


@reach_required(Kind.DOCUMENTS, Level.WRITE)
@require_http_methods(["GET", "POST"])
def client_export(request: HttpRequest, case_code, client_code) -> HttpResponse:
    """A records request: the client's own record as JSON plus the summary PDF, in one ZIP. A recorded disclosure."""
    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.DOCUMENTS, level=Level.WRITE)
    form = ExportForm(posted(request), authorizations=_third_party_authorizations(case, client))
    if request.method == "POST" and form.is_valid():
        # A records request always leaves the treating team: reviewed first, like any release.
        return _prepare_release(request, case, client, form, kind="export", options={"notes": "full"})
    return render(request, "reports/export_form.html", {"case": case, "client": client, "form": form})


class ExportForm(SummaryForm):
    """A records request leaves the treating team: its purposes are the outside ones."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to", "notes"):
            del self.fields[name]
        self.fields["purpose"].choices = [
            (key, label) for key, label in self.fields["purpose"].choices if key not in INTERNAL_PURPOSES
        ]
