"""Reliable change on pages and in PDFs: the queries around the pure rules of assessments/change.py.

A fixed number of queries whatever the number of screenings: one for the practice's screenings of each
instrument version in use (nearly always one), one for the clients' own. Nothing is cached: a screening
submitted a moment ago counts on the next page.
"""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.change import (
    CONVERGING,
    DIVERGING,
    NO_CHANGE,
    OVERALL,
    Basis,
    ClientChange,
    bases,
    client_change,
    gap_trends,
)
from assessments.framework import registry
from assessments.models import Screening
from assessments.translations import localized
from clinic.lib import language
from clinic.lib.charts import line_chart

KEY = "power"


def practice_bases(version: int) -> dict[str, Basis]:
    """SD and r per domain for one version of the power questionnaire: one query."""
    instrument = registry.get(KEY, version)
    rows = Screening.objects.submitted().filter(instrument_key=KEY, instrument_version=version)
    return bases(instrument, rows.values_list("answers", "scores"))


def _series(screenings) -> list:
    """(local date, scores) of submitted power screenings of the latest version among them, oldest first."""
    power = [s for s in screenings if s.is_submitted and s.instrument_key == KEY]
    if not power:
        return []
    power.sort(key=lambda s: (s.submitted_at, s.id))
    version = power[-1].instrument_version
    return [(timezone.localdate(s.submitted_at), s.scores) for s in power if s.instrument_version == version]


def _version_of(screenings) -> int | None:
    power = [s for s in screenings if s.is_submitted and s.instrument_key == KEY]
    return max(power, key=lambda s: (s.submitted_at, s.id)).instrument_version if power else None


def own_change(screenings) -> dict | None:
    """One client's reliable change from their own screenings (already loaded): one query for the norms.

    {"change": ClientChange, "chart": SVG of the domains that changed reliably}, or None with fewer than two.
    """
    series = _series(screenings)
    if len(series) < 2:
        return None
    version = _version_of(screenings)
    # Titles in the language active now: a client's own page or a summary in their language.
    instrument = localized(registry.get(KEY, version), language.current())
    result = client_change(instrument, series, practice_bases(version))
    chart = _change_chart(instrument, series, result)
    # A chart of one line has no legend: the caption names its lines.
    lines = [f"{c.title} ({c.words})" for c in result.reliable_since_first[:4]] if chart else []
    return {"change": result, "chart": chart, "lines": lines}


def _change_chart(instrument, series, result: ClientChange):
    moved = [c for c in result.since_first if c.verdict != NO_CHANGE][:4]
    if not moved:
        return None
    lines = {}
    for c in moved:
        values = []
        for on, scores in series:
            value = (
                scores["index"]
                if c.key == OVERALL
                else next(d["score"] for d in scores["domains"] if d["key"] == c.key)
            )
            values.append((on, value))
        lines[f"{c.title} ({c.words})"] = values
    return line_chart(lines, title=_("Domains with reliable change since the first questionnaire"))


def case_change(case) -> dict | None:
    """Both partners' (or the one client's) reliable change, and for a couple the perception gap over time.

    Two queries (the case's screenings, the practice's norms) for any number of screenings. Internal: it
    holds each partner's results; never put it on a page or PDF a client sees.
    """
    partners = list(case.clients.order_by("memberships__id"))
    screenings = Screening.objects.submitted().filter(client__in=partners, instrument_key=KEY)
    by_client = defaultdict(list)
    for s in screenings:
        by_client[s.client_id].append(s)
    versions = {v for p in partners if (v := _version_of(by_client[p.pk])) is not None}
    if not versions:
        return None
    norms = {v: practice_bases(v) for v in versions}
    people = []
    for partner in partners:
        series = _series(by_client[partner.pk])
        version = _version_of(by_client[partner.pk])
        result = client_change(registry.get(KEY, version), series, norms[version]) if version else None
        people.append({"client": partner, "change": result, "count": len(series)})
    context = {"people": people, "gaps": [], "gap_chart": None}
    if len(partners) == 2 and len(versions) == 1:
        version = versions.pop()
        instrument = registry.get(KEY, version)
        gaps = gap_trends(instrument, _series(by_client[partners[0].pk]), _series(by_client[partners[1].pk]))
        context["gaps"] = gaps
        context["gap_chart"] = _gap_chart(gaps)
        context["moving"] = [g for g in gaps if g.trend in (CONVERGING, DIVERGING)]
    return context


def _gap_chart(gaps) -> object:
    """The overall gap and the two domains whose gap moved most (then the widest), over the paired rounds."""
    if not gaps or len(gaps[0].gaps) < 2:
        return None
    overall = [g for g in gaps if g.key == OVERALL]
    widest = sorted(
        (g for g in gaps if g.key != OVERALL), key=lambda g: (-abs(g.gaps[-1][1] - g.gaps[0][1]), -g.gaps[-1][1])
    )[:2]
    lines = {g.title: g.gaps for g in overall + widest}
    return line_chart(lines, title="Perception gap between the partners over time (points)")


def case_change_context(*, case, user) -> dict:
    """The case page's reliable-change section (called from clinic.plans.hooks.case_context for whoever reads
    questionnaires on a page: the treating therapist)."""
    return {"reliable": case_change(case)}
