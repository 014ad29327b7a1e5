"""Making each PDF: gather, render, name. Used by the views (small PDFs) and by the task queue."""

from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from clinic.clients.models import Case, Client
from clinic.lib import language
from clinic.lib.dates import show
from clinic.reports.pdf import render_html, render_pdf
from clinic.reports.practice import INTERNAL, RELEASE, build


def client_summary_pdf(
    *, case: Case, client: Client, options: dict, by, release=None, contents=None
) -> tuple[bytes, str]:
    """Without `release`: an internal summary (continuity of care, supervision), marked so.

    With one: the document a reviewed release carries, conjoint notes only
    under the other partner's authorization, redactions applied.
    """
    html, title, now = client_summary_html(
        case=case, client=client, options=options, by=by, release=release, contents=contents
    )
    # A neutral file name: no client name lands in a downloads folder.
    return render_pdf(html=html, title=title, author=settings.PRACTICE_NAME), f"summary-{now:%Y%m%d-%H%M}.pdf"


def client_summary_html(
    *, case: Case, client: Client, options: dict, by, release=None, contents=None
) -> tuple[str, str, object]:
    """The client summary's HTML, its title and the time it was made (bench/pdf.py renders it on its own).

    A release passes the `contents` its gate checked (built in the release's language), so the PDF holds
    exactly what was confirmed.
    """
    from clinic.releases.contents import build
    from clinic.reports.plans import by_practice

    chosen = language.bare(options.get("language"))
    with language.speaking(chosen):
        # The summary in the language chosen for it (the client's own by default): headings, dates, the
        # questionnaires' wording and the practices' names. What people wrote stays as they wrote it.
        if contents is None:
            contents = build(case=case, client=client, options=options, release=release)
        now = timezone.localtime()
        title = gettext("Client summary: %(name)s") % {"name": client.full_name}
        context = {
            "shared_groups": by_practice(contents.shared_goals),
            "own_groups": by_practice(contents.summary.own_goals),
            "s": contents.summary,
            "c": contents,
            "internal": contents.internal,
            "practice_name": settings.PRACTICE_NAME,
            "generated_by": by,
            "generated_at": now,
            "purpose": options["purpose"],
            "pdf_language": chosen,
            "recipient": release.recipient_name if release is not None else "",
        }
        html = render_html(template="reports/client_summary.html", context=context, title=title)
    return html, title, now


def practice_report_pdf(*, start: date, end: date, by, version: str = RELEASE) -> tuple[bytes, str]:
    internal = version == INTERNAL
    title = f"{'Internal practice report' if internal else 'Practice report'} {show(start)} to {show(end)}"
    context = {
        "r": build(start=start, end=end, version=version),
        "practice_name": settings.PRACTICE_NAME,
        "generated_by": by,
        "generated_at": timezone.localtime(),
    }
    html = render_html(template="reports/practice_report.html", context=context, title=title)
    return render_pdf(
        html=html, title=title, author=settings.PRACTICE_NAME
    ), f"practice-report-{'internal-' if internal else ''}{start:%Y%m%d}-{end:%Y%m%d}.pdf"


def outcomes_report_pdf(*, start: date, end: date, by, version: str = RELEASE) -> tuple[bytes, str]:
    from clinic.reports.outcomes import build as build_outcomes

    internal = version == INTERNAL
    title = f"{'Internal outcomes report' if internal else 'Outcomes report'} {show(start)} to {show(end)}"
    context = {
        "r": build_outcomes(start=start, end=end, version=version),
        "practice_name": settings.PRACTICE_NAME,
        "generated_by": by,
        "generated_at": timezone.localtime(),
    }
    html = render_html(template="reports/outcomes_report.html", context=context, title=title)
    return render_pdf(
        html=html, title=title, author=settings.PRACTICE_NAME
    ), f"outcomes-report-{'internal-' if internal else ''}{start:%Y%m%d}-{end:%Y%m%d}.pdf"


def case_summary_pdf(*, case: Case, options: dict, by) -> tuple[bytes, str]:
    """Internal: both partners' latest questionnaires side by side, the practice timeline, sessions, open flags."""
    from assessments.checkins import case_trends, recent_sessions
    from assessments.models import RiskFlag
    from assessments.reliable import case_change
    from assessments.screenings import compare, latest_submitted
    from clinic.lib.charts import Bar, bar_chart
    from clinic.notes.models import SessionNote, TherapySession
    from clinic.notes.timeline import practice_timeline

    partners = list(case.clients.order_by("memberships__id"))
    latest = [latest_submitted(p, "power") for p in partners]
    comparison = chart = None
    if len(partners) == 2 and all(latest):
        comparison = compare(latest[0], latest[1])
        bars = [Bar(r["title"], (r["a"], r["b"]), highlight=r["wide"]) for r in comparison["rows"]]
        chart = bar_chart(bars, title="Imbalance by domain", series=tuple(p.display_name for p in partners))
    sessions = (
        TherapySession.objects.filter(case=case, note__status=SessionNote.Status.SIGNED)
        .select_related("individual_client")
        .prefetch_related("note__tags")
        .order_by("starts_at")
    )
    flags = RiskFlag.objects.unresolved().filter(client__in=partners).select_related("client").order_by("raised_at")
    from clinic.reports.plans import case_plan

    now = timezone.localtime()
    title = f"Case summary: {case.label}"
    context = {
        "case": case,
        "partners": list(zip(partners, latest, strict=True)),
        "comparison": comparison,
        "chart": chart,
        "timeline": practice_timeline(case),
        "sessions": sessions,
        "flags": flags,
        "plan": case_plan(case, partners),
        "reliable": case_change(case),
        # Session check-ins and balance alerts: staff only, so in this internal summary and in no release.
        "checkin_clients": partners,
        "checkin_rows": recent_sessions(case),
        "checkin_trends": any(case_trends(case).values()),
        "balance_alerts": case.balance_alerts.select_related("client", "resolved_by").order_by("-raised_at")[:10],
        "practice_name": settings.PRACTICE_NAME,
        "generated_by": by,
        "generated_at": now,
        "purpose": options["purpose"],
    }
    html = render_html(template="reports/case_summary.html", context=context, title=title)
    return render_pdf(html=html, title=title, author=settings.PRACTICE_NAME), f"case-summary-{now:%Y%m%d-%H%M}.pdf"


def treatment_plan_pdf(*, case: Case, options: dict, by, number: int | None = None) -> tuple[bytes, str]:
    """Internal, for the record: the treatment plan as signed at one version, with its reviews and signatures."""
    from clinic.reports.plans import plan_record

    record = plan_record(plan=case.plan, number=number)
    now = timezone.localtime()
    title = f"Treatment plan: {case.label}, version {record.version.number}"
    context = {
        "case": case,
        "r": record,
        "practice_name": settings.PRACTICE_NAME,
        "generated_by": by,
        "generated_at": now,
        "purpose": options["purpose"],
    }
    html = render_html(template="reports/treatment_plan.html", context=context, title=title)
    # A neutral file name: nothing about the case or its clients lands in a downloads folder.
    return render_pdf(html=html, title=title, author=settings.PRACTICE_NAME), f"plan-{now:%Y%m%d-%H%M}.pdf"
