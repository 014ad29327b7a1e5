"""The practice report: aggregates only, computed in SQL.

Two versions. *internal*: exact counts, for the practice's own admins, marked "Internal".
*release*: for anyone outside; every count from 1 to 4 is shown as "<5", and:
- complementary disclosure: within a group whose parts add up to a total a reader could know
  (the questionnaire bands of one instrument, the practices), one suppressed part could be worked out
  from the total minus the visible parts; so when exactly one part of a group is suppressed, the
  smallest visible non-zero part is suppressed with it;
- charts draw a suppressed bar as a dashed band with no length, labelled "<5"; the axis scale comes from
  visible counts only, and no tick, label or description carries a suppressed number.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import RiskFlag, Screening
from clinic.accounts.models import User
from clinic.clients.models import Case
from clinic.lib.charts import Bar, bar_chart
from clinic.notes.models import Practice, PracticeTag, SessionNote, TherapySession
from clinic.notes.overdue import OVERDUE_HOURS, overdue_unsigned_notes
from intake.models import Intake, Invitation

# Counts below this could point at a person, so they are shown as "<5".
SMALL = 5


INTERNAL, RELEASE = "internal", "release"
VERSIONS = [(RELEASE, "For release (counts under 5 shown as <5)"), (INTERNAL, "Internal (exact counts, admins only)")]


def is_small(count: int) -> bool:
    return 0 < count < SMALL


def shown(count: int, version: str = RELEASE) -> str:
    return f"<{SMALL}" if version == RELEASE and is_small(count) else str(count)


def suppressed_group(counts: list[int], version: str = RELEASE) -> list[bool]:
    """Which parts of one group are hidden: small ones, plus one more if only one would be."""
    if version != RELEASE:
        return [False] * len(counts)
    hidden = [is_small(n) for n in counts]
    if sum(hidden) == 1:
        visible = [(n, i) for i, n in enumerate(counts) if not hidden[i] and n > 0]
        if visible:
            hidden[min(visible)[1]] = True
    return hidden


def _group(pairs: list[tuple[str, int]], version: str) -> list[tuple[str, str]]:
    hidden = suppressed_group([n for _, n in pairs], version)
    return [
        (label, f"<{SMALL}" if h and version == RELEASE and is_small(n) else ("withheld" if h else str(n)))
        for (label, n), h in zip(pairs, hidden, strict=True)
    ]


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
    version: str = RELEASE
    overdue_hours: int = OVERDUE_HOURS

    @property
    def internal(self) -> bool:
        return self.version == INTERNAL


def _median_days(pairs) -> str:
    days = [(b - a).total_seconds() / 86400 for a, b in pairs if a and b]
    return f"{statistics.median(days):.1f}" if len(days) >= SMALL else ("<5 cases" if days else "—")


def _median_days_exact(pairs) -> str:
    days = [(b - a).total_seconds() / 86400 for a, b in pairs if a and b]
    return f"{statistics.median(days):.1f}" if days else "—"


def build(*, start: date, end: date, version: str = RELEASE) -> PracticeReport:
    def show_n(n: int) -> str:
        return shown(n, version)

    median = _median_days_exact if version == INTERNAL else _median_days
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end, time.max, tzinfo=tz)
    invitations = Invitation.objects.filter(created_at__range=(since, until)).count()
    intakes = Intake.objects.filter(submitted_at__range=(since, until))
    completed = intakes.count()
    intake_days = median(intakes.values_list("started_at", "submitted_at"))
    flags = RiskFlag.objects.filter(raised_at__range=(since, until)).aggregate(
        raised=Count("id"),
        acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)),
    )
    ack_days = median(
        RiskFlag.objects.filter(raised_at__range=(since, until), acknowledged_at__isnull=False).values_list(
            "raised_at", "acknowledged_at"
        )
    )
    sessions = TherapySession.objects.filter(starts_at__range=(since, until)).count()
    notes = SessionNote.objects.filter(session__starts_at__range=(since, until), status="signed").count()
    rows = [
        ("Invitations sent", show_n(invitations)),
        ("Intakes completed", show_n(completed)),
        ("Median days to complete intake", intake_days),
        ("Sessions held", show_n(sessions)),
        ("Signed notes", show_n(notes)),
        ("Risk flags raised", show_n(flags["raised"])),
        ("… acknowledged", show_n(flags["acknowledged"])),
        ("… resolved", show_n(flags["resolved"])),
        ("Median days to acknowledge a flag", ack_days),
    ]
    band_counts = dict(
        Screening.objects.submitted()
        .filter(submitted_at__range=(since, until))
        .values_list("result")
        .annotate(n=Count("id"))
        .values_list("result", "n")
    )
    # Each instrument's bands add up to its number of questionnaires: one group each.
    bands = _group([(label, band_counts.get(key, 0)) for key, label in BAND_LABELS[:3]], version) + _group(
        [(label, band_counts.get(key, 0)) for key, label in BAND_LABELS[3:]], version
    )
    tag_counts = dict(
        PracticeTag.objects.filter(note__status="signed", note__session__starts_at__range=(since, until))
        .values_list("practice")
        .annotate(n=Count("id"))
        .values_list("practice", "n")
    )
    tags = [(label, tag_counts.get(value, 0)) for value, label in Practice.choices]
    hidden = suppressed_group([n for _, n in tags], version)
    # The scale comes from what is drawn: a hidden count never sets the axis.
    chart = bar_chart(
        [
            Bar(label, (0,), suppressed=h) if h else Bar(label, (count,))
            for (label, count), h in zip(tags, hidden, strict=True)
        ],
        title="Notes by practice",
        series=("Notes",),
        maximum=max([c for (_, c), h in zip(tags, hidden, strict=True) if not h] + [SMALL]),
    )
    overdue = dict(overdue_unsigned_notes().values_list("author").annotate(n=Count("id")).values_list("author", "n"))
    therapists = list(
        User.objects.therapists()
        .annotate(n=Count("primary_cases", filter=Q(primary_cases__status=Case.Status.OPEN)))
        .order_by("last_name", "first_name", "username")
    )
    unsigned = [(str(u), overdue[u.pk]) for u in therapists if overdue.get(u.pk)]
    caseload = [(str(u), u.n) for u in therapists]
    return PracticeReport(
        start=start,
        end=end,
        rows=rows,
        bands=bands,
        tags=_group(tags, version),
        tag_chart=chart,
        unsigned=[(name, show_n(n)) for name, n in unsigned],
        caseload=[(name, show_n(n)) for name, n in caseload],
        version=version,
    )


BAND_LABELS = [
    ("balanced", "Power: balanced"),
    ("some_imbalance", "Power: some imbalance"),
    ("marked_imbalance", "Power: marked imbalance"),
    ("none", "Safety: no concerns"),
    ("elevated", "Safety: elevated"),
    ("urgent", "Safety: urgent"),
]
