"""Reliable change: is a difference between two screenings more than the questionnaire's own noise?

Plain Python, no Django, no queries: the callers hand in submitted screenings as
(answers, scores) and get values back. Nothing is cached, so a new screening
counts the moment it is submitted.

- Cronbach's alpha over item-level scores (each item put on one footing by the
  instrument's `item_score`: reversed items turned round), per domain and over
  all items: alpha = k/(k-1) * (1 - sum of item variances / variance of the sum).
- The Reliable Change Index (Jacobson & Truax, 1991): RCI = (x2 - x1) / S_diff,
  S_diff = sqrt(2) * SD * sqrt(1 - r); a change is reliable when |RCI| > 1.96.
- SD and r: from the practice's own submitted screenings of that instrument
  version when there are at least MIN_OWN of them (SD of the domain scores,
  alpha as r), otherwise the defaults next to the instrument definition.
  Every result names the source it used and with what n.

All screenings of the version count, rescreenings of one client included: a
practice-level estimate of spread and consistency, not a sample of independent
people; the n says how many screenings it rests on.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from assessments.framework import OVERALL, Instrument, Norm

# Fewer submitted screenings than this, and the practice's own SD and alpha are too unsteady to use.
MIN_OWN = 30
CRITICAL = 1.96

BETTER, NO_CHANGE, WORSE = "better", "none", "worse"
WORDS = {
    BETTER: gettext_lazy("reliably better"),
    NO_CHANGE: gettext_lazy("no reliable change"),
    WORSE: gettext_lazy("reliably worse"),
}

OWN, DEFAULTS = "own", "defaults"

# Pairing partners' screenings for the perception gap over time: in date order, one of each partner
# answered within this many days of the other form a pair (one rescreening round); an unmatched one waits
# for the next. The nearest rounds are about six weeks apart, so four weeks never pairs across two rounds.
PAIR_WITHIN_DAYS = 28
# A gap that narrows or widens by more than this between the first and the latest pair is converging or
# diverging; less is steady. Ten points is more than one answer step on one item of a three-item domain
# (8.3 points): a move of a single answer never counts.
GAP_MOVE_POINTS = 10.0
CONVERGING, DIVERGING, STEADY = "converging", "diverging", "steady"


def variance(values: Sequence[float]) -> float:
    """Sample variance (n - 1); 0 for fewer than two values."""
    n = len(values)
    if n < 2:
        return 0.0
    mean = sum(values) / n
    return sum((v - mean) ** 2 for v in values) / (n - 1)


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Alpha of item scores, one row per respondent, one column per item. None when it is undefined
    (fewer than two items or respondents, or no variance in the total)."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    total = variance([sum(row) for row in rows])
    if total == 0:
        return None
    items = sum(variance([row[i] for row in rows]) for i in range(k))
    return k / (k - 1) * (1 - items / total)


def s_diff(sd: float, r: float) -> float:
    return math.sqrt(2) * sd * math.sqrt(1 - r)


def rci(x1: float, x2: float, *, sd: float, r: float) -> float:
    return (x2 - x1) / s_diff(sd, r)


def classify(value: float, *, lower_is_better: bool) -> str:
    if abs(value) <= CRITICAL:
        return NO_CHANGE
    improved = value < 0 if lower_is_better else value > 0
    return BETTER if improved else WORSE


@dataclass(frozen=True)
class Basis:
    """SD and r for one domain (or OVERALL), and where they came from."""

    key: str
    sd: float
    r: float
    source: str  # OWN or DEFAULTS
    n: int  # submitted screenings of this version in the practice
    alpha: float | None  # the practice's own alpha, when it could be computed

    @property
    def words(self) -> str:
        if self.source == OWN:
            return _("practice's own data, n = %(n)s") % {"n": self.n}
        if self.n >= MIN_OWN:
            # Enough screenings, but they do not vary in this domain (or their alpha is not between 0 and 1).
            return _("provisional defaults; practice's n = %(n)s give no usable spread here") % {"n": self.n}
        return _("provisional defaults; practice has n = %(n)s, needs %(needed)s") % {"n": self.n, "needed": MIN_OWN}


def domain_keys(instrument: Instrument) -> list[str]:
    return [d.key for d in instrument.domains] + [OVERALL]


def title_of(instrument: Instrument, key: str) -> str:
    return _("Overall index") if key == OVERALL else instrument.domain(key).title


def score_of(scores: dict, key: str) -> float | None:
    if key == OVERALL:
        return scores.get("index")
    return next((d["score"] for d in scores.get("domains", []) if d["key"] == key), None)


def bases(instrument: Instrument, screenings: Iterable[tuple[dict, dict]]) -> dict[str, Basis]:
    """SD and r per domain and OVERALL from the practice's submitted screenings of `instrument`
    ((answers, scores) pairs of that key and version), or the instrument's defaults where there are too few
    or the practice's figures cannot be used (no spread, or alpha not between 0 and 1)."""
    rows = list(screenings)
    n = len(rows)
    item_rows = []
    # Alpha is worked out from two screenings on, for the practice to see (the outcomes report); it is used
    # for reliable change only from MIN_OWN on.
    if n >= 2 and instrument.item_score is not None:
        for answers, _ in rows:
            # A submitted screening answers every item; one that does not (imported, damaged) is left out of alpha.
            if all(str(answers.get(i.id, "")).isdigit() for i in instrument.items):
                item_rows.append(
                    {i.id: instrument.item_score(instrument, i, int(answers[i.id])) for i in instrument.items}
                )
    result = {}
    for key in domain_keys(instrument):
        default: Norm = instrument.norms[key]
        basis = Basis(key, default.sd, default.r, DEFAULTS, n, None)
        if item_rows:
            items = [i.id for i in instrument.items if key == OVERALL or i.domain == key]
            alpha = cronbach_alpha([[row[i] for i in items] for row in item_rows])
            values = [v for _, scores in rows if (v := score_of(scores, key)) is not None]
            sd = math.sqrt(variance(values))
            if n >= MIN_OWN and alpha is not None and 0 < alpha < 1 and sd > 0:
                basis = Basis(key, sd, alpha, OWN, n, alpha)
            else:
                basis = Basis(key, default.sd, default.r, DEFAULTS, n, alpha)
        result[key] = basis
    return result


@dataclass(frozen=True)
class Change:
    key: str
    title: str
    before: float
    after: float
    before_on: date
    after_on: date
    rci: float
    verdict: str  # BETTER, NO_CHANGE or WORSE
    basis: Basis
    since: str = ""  # e.g. "the first questionnaire": what the change is counted from, for the sentence

    @property
    def words(self) -> str:
        return WORDS[self.verdict]

    @property
    def sentence(self) -> str:
        """E.g. "Reliably better on Money and resources since the first questionnaire (RCI -2.4; practice's own
        data, n = 41)"."""
        words = {"words": self.words.capitalize(), "title": self.title, "since": _(self.since) if self.since else ""}
        words.update(rci=self.rci_text, basis=self.basis.words)
        if self.since:
            return _("%(words)s on %(title)s since %(since)s (RCI %(rci)s; %(basis)s)") % words
        return _("%(words)s on %(title)s (RCI %(rci)s; %(basis)s)") % words

    @property
    def rci_text(self) -> str:
        # A real minus sign reads better than a hyphen beside a number.
        return f"{self.rci:+.1f}".replace("-", "\u2212").replace("+0.0", "0.0")


def change(
    instrument: Instrument,
    key: str,
    first: tuple[date, dict],
    second: tuple[date, dict],
    basis: Basis,
    since: str = "",
) -> Change | None:
    """The reliable change in `key` from one screening's scores to a later one's; None if a score is missing."""
    (before_on, before_scores), (after_on, after_scores) = first, second
    before, after = score_of(before_scores, key), score_of(after_scores, key)
    if before is None or after is None:
        return None
    value = rci(before, after, sd=basis.sd, r=basis.r)
    return Change(
        key=key,
        title=title_of(instrument, key),
        before=before,
        after=after,
        before_on=before_on,
        after_on=after_on,
        rci=round(value, 2),
        verdict=classify(value, lower_is_better=instrument.lower_is_better),
        basis=basis,
        since=since,
    )


FROM_FIRST, FROM_PREVIOUS = gettext_noop("the first questionnaire"), gettext_noop("the previous one")


@dataclass(frozen=True)
class ClientChange:
    """One client's change per domain (OVERALL first) since the first screening and since the previous one."""

    count: int
    since_first: list[Change]
    since_last: list[Change]

    @property
    def reliable_since_first(self) -> list[Change]:
        return [c for c in self.since_first if c.verdict != NO_CHANGE]

    @property
    def reliable_since_last(self) -> list[Change]:
        return [c for c in self.since_last if c.verdict != NO_CHANGE]


def client_change(
    instrument: Instrument, screenings: Sequence[tuple[date, dict]], basis: dict[str, Basis]
) -> ClientChange | None:
    """`screenings`: one client's submitted screenings of this version as (date, scores), oldest first.
    None with fewer than two."""
    if len(screenings) < 2:
        return None
    keys = [OVERALL] + [d.key for d in instrument.domains]

    def between(a, b, since: str) -> list[Change]:
        return [c for key in keys if (c := change(instrument, key, a, b, basis[key], since)) is not None]

    first, previous, latest = screenings[0], screenings[-2], screenings[-1]
    return ClientChange(
        count=len(screenings),
        since_first=between(first, latest, FROM_FIRST),
        since_last=between(previous, latest, FROM_PREVIOUS),
    )


def pair_by_date(
    a: Sequence[tuple[date, dict]], b: Sequence[tuple[date, dict]], within: int = PAIR_WITHIN_DAYS
) -> list[tuple[tuple[date, dict], tuple[date, dict]]]:
    """Each partner's screenings (oldest first) paired into rounds: walking both in date order, two within
    `within` days of each other are a pair; otherwise the older one has no partner's answer and is skipped."""
    pairs, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        days = (a[i][0] - b[j][0]).days
        if abs(days) <= within:
            # When the next one of the earlier partner is even closer, that one pairs instead.
            if days < 0 and i + 1 < len(a) and abs((a[i + 1][0] - b[j][0]).days) < abs(days):
                i += 1
                continue
            if days > 0 and j + 1 < len(b) and abs((a[i][0] - b[j + 1][0]).days) < abs(days):
                j += 1
                continue
            pairs.append((a[i], b[j]))
            i, j = i + 1, j + 1
        elif days < 0:
            i += 1
        else:
            j += 1
    return pairs


@dataclass(frozen=True)
class GapTrend:
    key: str
    title: str
    # (date of the later answer of the pair, gap in points), oldest first
    gaps: list[tuple[date, float]]
    trend: str  # CONVERGING, DIVERGING or STEADY; STEADY with a single pair

    @property
    def sentence(self) -> str:
        first, last = self.gaps[0][1], self.gaps[-1][1]
        if len(self.gaps) < 2:
            return f"{self.title}: a gap of {last:g} points (one pair of questionnaires so far)"
        words = {CONVERGING: "converging", DIVERGING: "diverging", STEADY: "steady"}[self.trend]
        return f"{self.title}: {words}, gap {first:g} → {last:g} points over {len(self.gaps)} rounds"


def gap_trends(
    instrument: Instrument, a: Sequence[tuple[date, dict]], b: Sequence[tuple[date, dict]]
) -> list[GapTrend]:
    """The perception gap (|partner A - partner B|) per domain and OVERALL over the paired rounds."""
    pairs = pair_by_date(a, b)
    if not pairs:
        return []
    trends = []
    for key in [OVERALL] + [d.key for d in instrument.domains]:
        gaps = []
        for (a_on, a_scores), (b_on, b_scores) in pairs:
            x, y = score_of(a_scores, key), score_of(b_scores, key)
            if x is not None and y is not None:
                gaps.append((max(a_on, b_on), round(abs(x - y), 1)))
        if not gaps:
            continue
        moved = gaps[-1][1] - gaps[0][1]
        trend = CONVERGING if moved < -GAP_MOVE_POINTS else DIVERGING if moved > GAP_MOVE_POINTS else STEADY
        trends.append(GapTrend(key=key, title=title_of(instrument, key), gaps=gaps, trend=trend))
    return trends
