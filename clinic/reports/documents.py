"""Making each PDF: gather, render, name. Used by the views (small PDFs) and by the task queue."""

from datetime import date

from django.conf import settings
from django.utils import timezone

from clinic.clients.models import Case, Client
from clinic.reports.pdf import render_html, render_pdf
from clinic.reports.practice import build
from clinic.reports.summaries import gather


def client_summary_pdf(*, case: Case, client: Client, options: dict, by) -> tuple[bytes, str]:
    start = date.fromisoformat(options["from"]) if options.get("from") else None
    end = date.fromisoformat(options["to"]) if options.get("to") else None
    summary = gather(case=case, client=client, date_from=start, date_to=end, full_notes=options["notes"] == "full")
    now = timezone.localtime()
    title = f"Client summary: {client.full_name}"
    context = {
        "s": summary,
        "practice_name": settings.PRACTICE_NAME,
        "generated_by": by,
        "generated_at": now,
        "purpose": options["purpose"],
    }
    html = render_html(template="reports/client_summary.html", context=context, title=title)
    # A neutral file name: no client name lands in a downloads folder.
    return render_pdf(html=html, title=title, author=settings.PRACTICE_NAME), f"summary-{now:%Y%m%d-%H%M}.pdf"


def practice_report_pdf(*, start: date, end: date, by) -> tuple[bytes, str]:
    title = f"Practice report {start:%d %b %Y} to {end:%d %b %Y}"
    context = {
        "r": build(start=start, end=end),
        "practice_name": settings.PRACTICE_NAME,
        "generated_by": by,
        "generated_at": timezone.localtime(),
    }
    html = render_html(template="reports/practice_report.html", context=context, title=title)
    return render_pdf(
        html=html, title=title, author=settings.PRACTICE_NAME
    ), f"practice-report-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
