"""The outcomes report: what changed for the practice's clients over a period, and how far to trust it.

Aggregates only; the same two versions as the practice report (clinic/reports/practice.py): *internal*
with exact figures, and *release*, where a count from 1 to 4 reads "<5", a group whose parts add up to a
known total hides a second part when only one is small (complementary suppression), and a share, a median
or an average is given only when it rests on at least 5 clients (or check-ins).

What it counts, for the period [start, end]:
- cases with a signed treatment plan, open at some time in the period;
- clients whose power questionnaire was answered a first time and again later, the later one in the
  period: their change from the first to their latest (in the period) on the overall index, classified
  by the Reliable Change Index with the same SD and reliability as every other page
  (assessments/reliable.practice_bases), grouped by the band they started in; and the median change
  per domain (negative: more even);
- session check-ins after sessions in the period: how many were sent of those offered, their average
  and each line's average; balance alerts raised and resolved in the period;
- for the same clients, the signed sessions of their case in the period tagged with each practice, per
  client, beside their outcome: a description of what went with what, not evidence of what caused it;
- the power questionnaire's internal consistency (Cronbach's alpha) per domain, with the number of
  questionnaires it comes from.

A fixed number of queries whatever the amount of data (tests/reports/test_outcomes_report.py).
"""

import json
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Avg, Count, F, FloatField, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

import assessments.catalogue  # noqa: F401  (registers the instruments)
from assessments.change import BETTER, NO_CHANGE, OVERALL, WORSE, change, domain_keys, title_of
from assessments.checkin_v1 import CHECKIN_V1
from assessments.framework import registry
from assessments.models import BalanceAlert, Screening, SessionCheckIn
from assessments.reliable import KEY, practice_bases
from clinic.clients.models import Case, Client
from clinic.notes.models import Practice, PracticeTag
from clinic.plans.models import PlanVersion
from clinic.reports.practice import INTERNAL, RELEASE, SMALL, shown, suppressed_group

VERDICTS = ((BETTER, "Reliably improved"), (NO_CHANGE, "No reliable change"), (WORSE, "Reliably worse"))
CAVEAT = (
    "These figures describe what went together in this practice over this period. They do not show that a "
    "practice caused a change: clients differ in what brought them, how long they have come and what else "
    "happened in their lives, and the groups are small."
)


@dataclass
class BandRow:
    label: str
    clients: str
    parts: list  # (verdict label, count shown, share shown) per verdict


@dataclass
class OutcomesReport:
    start: date
    end: date
    version: str
    plan_cases: str
    changed_clients: str
    overall: list  # (verdict label, count shown, share shown)
    bands: list[BandRow]
    basis_words: str
    domains: list  # (title, median change shown, n shown)
    checkins: list  # (label, value) pairs
    checkin_lines: list  # (line, average shown)
    alerts: list  # (label, value) pairs
    practices: list  # (practice label, [per-verdict value shown])
    practice_groups: list  # (verdict label, clients shown)
    reliability: list  # (title, alpha shown, n shown, used as)
    caveat: str = CAVEAT
    notes: list = field(default_factory=list)

    @property
    def internal(self) -> bool:
        return self.version == INTERNAL


def _period(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end, time.max, tzinfo=tz)


def _share(part: int, whole: int, version: str, hidden: bool = False) -> str:
    if hidden or not whole or (version == RELEASE and whole < SMALL):
        return "—"
    return f"{round(100 * part / whole)}%"


def _group(counts: list[int], whole: int, version: str) -> list[tuple[str, str]]:
    """(count shown, share shown) for parts of one group adding up to `whole`."""
    hidden = suppressed_group(counts, version)
    result = []
    for n, h in zip(counts, hidden, strict=True):
        if h:
            result.append((shown(n, version) if n < SMALL else "withheld", "—"))
        else:
            result.append((str(n), _share(n, whole, version)))
    return result


def _signed(value: float) -> str:
    """+1.5, 0.0, or a minus sign (not a hyphen) before 8.3."""
    text = f"{value:+.1f}".replace("-", "\u2212")
    return "0.0" if text in ("+0.0", "\u22120.0") else text


def _enough(n: int, version: str) -> bool:
    """A share, median or average may be given: always inside; from SMALL clients on for release."""
    return n > 0 and (version == INTERNAL or n >= SMALL)


def _changed_clients(since: datetime, until: datetime, version: int) -> list:
    """Clients whose first power questionnaire (this version) came before a later one sent in the period:
    one row each with the first and the latest scores. One query."""
    mine = Screening.objects.submitted().filter(client=OuterRef("pk"), instrument_key=KEY, instrument_version=version)
    first = mine.order_by("submitted_at", "id")
    latest = mine.filter(submitted_at__lte=until).order_by("-submitted_at", "-id")
    return list(
        Client.objects.annotate(
            first_at=Subquery(first.values("submitted_at")[:1]),
            first_scores=Subquery(first.values("scores")[:1]),
            latest_at=Subquery(latest.values("submitted_at")[:1]),
            latest_scores=Subquery(latest.values("scores")[:1]),
        )
        .filter(latest_at__gte=since, latest_at__gt=F("first_at"))
        .values("pk", "first_at", "first_scores", "latest_at", "latest_scores")
        .order_by("pk")
    )


def _scores(value) -> dict:
    # A JSON column read through a subquery arrives as text on some databases.
    if isinstance(value, str):
        return json.loads(value)
    return value


def build(*, start: date, end: date, version: str = RELEASE) -> OutcomesReport:
    since, until = _period(start, end)
    instrument = registry.latest(KEY)
    basis = practice_bases(instrument.version)
    rows = _changed_clients(since, until, instrument.version)

    # Reliable change on the overall index, and each domain's change, per client.
    verdict_of: dict[int, str] = {}
    by_band: dict[str, list[str]] = {b.key: [] for b in instrument.bands}
    domain_moves: dict[str, list[float]] = {k: [] for k in domain_keys(instrument)}
    for row in rows:
        first, latest = _scores(row["first_scores"]), _scores(row["latest_scores"])
        first_pair = (timezone.localdate(row["first_at"]), first)
        latest_pair = (timezone.localdate(row["latest_at"]), latest)
        overall = change(instrument, OVERALL, first_pair, latest_pair, basis[OVERALL])
        if overall is None:
            continue
        verdict_of[row["pk"]] = overall.verdict
        by_band.setdefault(first.get("band", ""), []).append(overall.verdict)
        for key in domain_moves:
            moved = change(instrument, key, first_pair, latest_pair, basis[key])
            if moved is not None:
                domain_moves[key].append(moved.after - moved.before)
    total = len(verdict_of)
    verdicts = [v for v, _ in VERDICTS]
    counts = [sum(1 for v in verdict_of.values() if v == verdict) for verdict in verdicts]
    overall_rows = [
        (label, n, share) for (_, label), (n, share) in zip(VERDICTS, _group(counts, total, version), strict=True)
    ]
    bands = []
    for band in instrument.bands:
        found = by_band.get(band.key, [])
        parts = _group([found.count(v) for v in verdicts], len(found), version)
        if version == RELEASE and 0 < len(found) < SMALL:
            # A handful of clients: how each of them changed is not shown, even as "0" or "<5".
            parts = [("—", "—")] * len(verdicts)
        bands.append(
            BandRow(
                label=band.label,
                clients=shown(len(found), version),
                parts=[(label, n, share) for (_, label), (n, share) in zip(VERDICTS, parts, strict=True)],
            )
        )
    domains = []
    for key, moves in domain_moves.items():
        median = _signed(statistics.median(moves)) if _enough(len(moves), version) else "—"
        domains.append((title_of(instrument, key), median, shown(len(moves), version)))
    overall_basis = basis[OVERALL]

    # Cases with a signed plan, open at some time in the period.
    signed = PlanVersion.objects.signed().filter(plan__case=OuterRef("pk"), signed_at__lte=until)
    plan_cases = (
        Case.objects.filter(opened_on__lte=end)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=start))
        .filter(pk__in=Subquery(signed.values("plan__case")))
        .count()
    )

    # Session check-ins after sessions in the period: one aggregate.
    line_ids = [item.id for item in CHECKIN_V1.items]
    held = SessionCheckIn.objects.filter(session__starts_at__range=(since, until))
    figures = held.aggregate(
        offered=Count("id"),
        sent=Count("id", filter=Q(status=SessionCheckIn.Status.SUBMITTED)),
        average=Avg("mean"),
        **{
            f"line_{i}": Avg(Cast(KT(f"scores__items__{i}"), FloatField()), filter=Q(status="submitted"))
            for i in line_ids
        },
    )
    sent, offered = figures["sent"], figures["offered"]
    checkin_rows = [
        ("Check-ins offered after sessions", shown(offered, version)),
        ("… sent", shown(sent, version)),
        ("Share sent", _share(sent, offered, version)),
        (
            "Average of all lines (0 to 10, higher is better)",
            f"{figures['average']:.1f}" if _enough(sent, version) else "—",
        ),
    ]
    checkin_lines = [
        (
            item.text,
            f"{figures[f'line_{item.id}']:.1f}"
            if _enough(sent, version) and figures[f"line_{item.id}"] is not None
            else "—",
        )
        for item in CHECKIN_V1.items
    ]
    alert_figures = BalanceAlert.objects.aggregate(
        raised=Count("id", filter=Q(raised_at__range=(since, until))),
        resolved=Count("id", filter=Q(resolved_at__range=(since, until))),
        open_at_end=Count(
            "id", filter=Q(raised_at__lte=until) & (Q(resolved_at__isnull=True) | Q(resolved_at__gt=until))
        ),
    )
    alerts = [
        ("Balance alerts raised", shown(alert_figures["raised"], version)),
        ("Balance alerts resolved", shown(alert_figures["resolved"], version)),
        ("Open at the end of the period", shown(alert_figures["open_at_end"], version)),
    ]

    # Practices beside outcomes: signed sessions of each client's case in the period, tagged per practice.
    case_of = dict(
        Client.objects.filter(pk__in=verdict_of)
        .annotate(case_id=Subquery(Case.objects.filter(clients=OuterRef("pk")).order_by("-opened_on").values("pk")[:1]))
        .values_list("pk", "case_id")
    )
    tagged: dict[tuple[int, str], int] = {
        (case, practice): n
        for case, practice, n in PracticeTag.objects.filter(
            note__status="signed",
            note__session__case__in=set(case_of.values()),
            note__session__starts_at__range=(since, until),
        )
        .values_list("note__session__case", "practice")
        .annotate(n=Count("note__session", distinct=True))
        .values_list("note__session__case", "practice", "n")
    }
    groups = {verdict: [pk for pk, v in verdict_of.items() if v == verdict] for verdict in verdicts}
    # The groups' sizes as the change table shows them: a size withheld there is withheld here too.
    withheld = suppressed_group(counts, version)
    practices = []
    for value, label in Practice.choices:
        cells = []
        for verdict, hidden in zip(verdicts, withheld, strict=True):
            clients = groups[verdict]
            if not hidden and _enough(len(clients), version):
                per_client = sum(tagged.get((case_of.get(pk), value), 0) for pk in clients) / len(clients)
                cells.append(f"{per_client:.1f}")
            else:
                cells.append("—")
        practices.append((label, cells))
    practice_groups = [(label, n) for label, n, _ in overall_rows]

    reliability = [
        (
            title_of(instrument, key),
            f"{basis[key].alpha:.2f}" if basis[key].alpha is not None else "—",
            str(basis[key].n),
            "practice's own" if basis[key].source == "own" else "provisional defaults",
        )
        for key in [OVERALL] + [d.key for d in instrument.domains]
    ]
    return OutcomesReport(
        start=start,
        end=end,
        version=version,
        plan_cases=shown(plan_cases, version),
        changed_clients=shown(total, version),
        overall=overall_rows,
        bands=bands,
        basis_words=overall_basis.words,
        domains=domains,
        checkins=checkin_rows,
        checkin_lines=checkin_lines,
        alerts=alerts,
        practices=practices,
        practice_groups=practice_groups,
        reliability=reliability,
    )
