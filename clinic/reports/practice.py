"""The practice report: aggregates only, computed in SQL, with small counts suppressed."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import RiskFlag, Screening
from clinic.accounts.models import User
from clinic.clients.models import Case
from clinic.lib.charts import Bar, bar_chart
from clinic.notes.models import Practice, PracticeTag, SessionNote, TherapySession
from intake.models import Intake, Invitation

# Counts below this could point at a person, so they are shown as "<5".
SMALL = 5


def shown(count: int) -> str:
    return f"<{SMALL}" if 0 < count < SMALL else str(count)


@dataclass
class PracticeReport:
    start: date
    end: date
    rows: list  # (label, value) pairs already made safe to show
    bands: list
    tags: list
    tag_chart: str
    unsigned: list
    caseload: list


def _median_days(pairs) -> str:
    days = [(b - a).total_seconds() / 86400 for a, b in pairs if a and b]
    return f"{statistics.median(days):.1f}" if len(days) >= SMALL else ("<5 cases" if days else "—")


def build(*, start: date, end: date) -> PracticeReport:
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end, time.max, tzinfo=tz)
    invitations = Invitation.objects.filter(created_at__range=(since, until)).count()
    intakes = Intake.objects.filter(submitted_at__range=(since, until))
    completed = intakes.count()
    intake_days = _median_days(intakes.values_list("started_at", "submitted_at"))
    flags = RiskFlag.objects.filter(raised_at__range=(since, until)).aggregate(
        raised=Count("id"),
        acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)),
    )
    ack_days = _median_days(
        RiskFlag.objects.filter(raised_at__range=(since, until), acknowledged_at__isnull=False).values_list(
            "raised_at", "acknowledged_at"
        )
    )
    sessions = TherapySession.objects.filter(starts_at__range=(since, until)).count()
    notes = SessionNote.objects.filter(session__starts_at__range=(since, until), status="signed").count()
    rows = [
        ("Invitations sent", shown(invitations)),
        ("Intakes completed", shown(completed)),
        ("Median days to complete intake", intake_days),
        ("Sessions held", shown(sessions)),
        ("Signed notes", shown(notes)),
        ("Risk flags raised", shown(flags["raised"])),
        ("… acknowledged", shown(flags["acknowledged"])),
        ("… resolved", shown(flags["resolved"])),
        ("Median days to acknowledge a flag", ack_days),
    ]
    band_counts = dict(
        Screening.objects.submitted()
        .filter(submitted_at__range=(since, until))
        .values_list("result")
        .annotate(n=Count("id"))
        .values_list("result", "n")
    )
    bands = [(label, shown(band_counts.get(key, 0))) for key, label in BAND_LABELS]
    tag_counts = dict(
        PracticeTag.objects.filter(note__status="signed", note__session__starts_at__range=(since, until))
        .values_list("practice")
        .annotate(n=Count("id"))
        .values_list("practice", "n")
    )
    tags = [(label, tag_counts.get(value, 0)) for value, label in Practice.choices]
    chart = bar_chart(
        [Bar(label, (count if count >= SMALL or count == 0 else 0,)) for label, count in tags],
        title="Notes by practice",
        maximum=max([c for _, c in tags] + [1]),
    )
    stale = timezone.now() - timedelta(hours=72)
    unsigned = list(
        User.objects.therapists()
        .annotate(
            n=Count("notes_written", filter=Q(notes_written__status="draft", notes_written__created_at__lt=stale))
        )
        .filter(n__gt=0)
        .values_list("username", "n")
        .order_by("username")
    )
    caseload = list(
        User.objects.therapists()
        .annotate(n=Count("primary_cases", filter=Q(primary_cases__status=Case.Status.OPEN)))
        .values_list("username", "n")
        .order_by("username")
    )
    return PracticeReport(
        start=start,
        end=end,
        rows=rows,
        bands=bands,
        tags=[(label, shown(n)) for label, n in tags],
        tag_chart=chart,
        unsigned=[(name, shown(n)) for name, n in unsigned],
        caseload=[(name, shown(n)) for name, n in caseload],
    )


BAND_LABELS = [
    ("balanced", "Power: balanced"),
    ("some_imbalance", "Power: some imbalance"),
    ("marked_imbalance", "Power: marked imbalance"),
    ("none", "Safety: no concerns"),
    ("elevated", "Safety: elevated"),
    ("urgent", "Safety: urgent"),
]
