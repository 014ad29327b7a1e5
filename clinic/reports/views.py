from datetime import timedelta

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import case_and_client
from clinic.reports.pdf import render_html, render_pdf
from clinic.reports.practice import build
from clinic.reports.summaries import SummaryForm, gather


@role_required(Role.THERAPIST, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def client_summary(request: HttpRequest, case_code, client_code) -> HttpResponse:
    """A client summary PDF. Every one is a disclosure: its purpose and options are recorded first."""
    case, client = case_and_client(request.user, case_code, client_code)
    form = SummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        summary = gather(
            case=case,
            client=client,
            date_from=data["date_from"],
            date_to=data["date_to"],
            full_notes=data["notes"] == "full",
        )
        options = {
            "purpose": form.purpose_text(),
            "notes": data["notes"],
            "from": data["date_from"].isoformat() if data["date_from"] else "",
            "to": data["date_to"].isoformat() if data["date_to"] else "",
            "report": "client_summary",
        }
        record(action=Action.PDF_GENERATED, request=request, target=client, client=client, detail=options)
        now = timezone.localtime()
        title = f"Client summary: {client.full_name}"
        html = render_html(
            template="reports/client_summary.html",
            context={
                "s": summary,
                "practice_name": settings.PRACTICE_NAME,
                "generated_by": request.user,
                "generated_at": now,
                "purpose": options["purpose"],
            },
            title=title,
        )
        pdf = render_pdf(html=html, title=title, author=settings.PRACTICE_NAME)
        response = HttpResponse(pdf, content_type="application/pdf")
        # A neutral file name: no client name lands in a downloads folder.
        response["Content-Disposition"] = f'attachment; filename="summary-{now:%Y%m%d-%H%M}.pdf"'
        return response
    return render(request, "reports/summary_form.html", {"case": case, "client": client, "form": form})


class PracticeReportForm(forms.Form):
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="From")
    end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="To")

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
    form = PracticeReportForm(request.POST or None, initial={"start": today - timedelta(days=90), "end": today})
    if request.method == "POST" and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        report = build(start=start, end=end)
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
        title = f"Practice report {start:%d %b %Y} to {end:%d %b %Y}"
        html = render_html(
            template="reports/practice_report.html",
            context={
                "r": report,
                "practice_name": settings.PRACTICE_NAME,
                "generated_by": request.user,
                "generated_at": timezone.localtime(),
            },
            title=title,
        )
        response = HttpResponse(
            render_pdf(html=html, title=title, author=settings.PRACTICE_NAME), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="practice-report-{start:%Y%m%d}-{end:%Y%m%d}.pdf"'
        return response
    return render(request, "reports/practice_form.html", {"form": form})
