"""Server-rendered SVG charts, shared by pages and PDFs.

Plain functions that return SVG markup as strings. No JavaScript, no style
attributes (the Content-Security-Policy forbids inline styles): only SVG
presentation attributes. Every chart carries a <title> and <desc> so that
screen readers and PDF text extraction get its meaning in words.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from clinic.lib.dates import show

INK = "#1f2d3a"
MUTED = "#6c757d"
GRID = "#dee2e6"
SERIES = ("#1f5f8b", "#b35c1e", "#2e7d4f", "#7a4f9a")
HIGHLIGHT = "#a52834"
FONT = "DejaVu Sans, Arial, sans-serif"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    # Ids unique per chart: a page or PDF often holds several.
    cid = f"chart-{uuid.uuid4().hex[:8]}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{cid}-t {cid}-d" font-family="{FONT}" font-size="12">'
        f'<title id="{cid}-t">{_e(title)}</title><desc id="{cid}-d">{_e(desc)}</desc>'
    )
    # Everything interpolated above and in `body` is escaped by _e().
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[float, ...]
    highlight: bool = False
    # A count withheld for privacy: drawn as a dashed band with no length, labelled "withheld", never its value.
    suppressed: bool = False


def bar_chart(
    bars: Sequence[Bar], *, title: str, series: Sequence[str] = ("Score",), maximum: float = 100.0
) -> SafeString:
    """Horizontal bars, one row per label, one bar per series (e.g. two partners side by side)."""
    label_w, bar_w, row_gap, bar_h = 210, 300, 10, 14
    per_row = bar_h * len(series) + row_gap
    legend_h = 22 if len(series) > 1 else 0
    width = label_w + bar_w + 50
    height = legend_h + per_row * len(bars) + 24
    body: list[str] = []
    if len(series) > 1:
        for i, name in enumerate(series):
            x = label_w + i * 140
            body.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{SERIES[i % len(SERIES)]}"/>')
            body.append(f'<text x="{x + 18}" y="14" fill="{INK}">{_e(name)}</text>')
    for tick in range(0, 101, 25):
        x = label_w + bar_w * tick / 100
        body.append(f'<line x1="{x:.1f}" y1="{legend_h}" x2="{x:.1f}" y2="{height - 18}" stroke="{GRID}"/>')
        body.append(
            f'<text x="{x:.1f}" y="{height - 4}" fill="{MUTED}" text-anchor="middle">{tick * maximum / 100:g}</text>'
        )
    words = []
    for row, bar in enumerate(bars):
        top = legend_h + row * per_row
        colour = HIGHLIGHT if bar.highlight else INK
        weight = ' font-weight="bold"' if bar.highlight else ""
        body.append(
            f'<text x="{label_w - 8}" y="{top + bar_h * len(series) / 2 + 4:.1f}" text-anchor="end" '
            f'fill="{colour}"{weight}>{_e(bar.label)}</text>'
        )
        if bar.suppressed:
            y = top
            body.append(
                f'<line x1="{label_w + 64}" y1="{y + bar_h / 2}" x2="{label_w + bar_w}" y2="{y + bar_h / 2}" '
                f'stroke="{MUTED}" stroke-dasharray="3 4"/>'
            )
            body.append(f'<text x="{label_w + 4}" y="{y + bar_h - 4}" fill="{INK}">withheld</text>')
            words.append(f"{bar.label}: withheld")
            continue
        for i, value in enumerate(bar.values):
            clamped = max(0.0, min(float(value), maximum))
            w = bar_w * clamped / maximum
            y = top + i * bar_h
            body.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{SERIES[i % len(SERIES)]}"/>'
            )
            body.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 4}" fill="{INK}">{value:g}</text>')
        words.append(f"{bar.label}: " + ", ".join(f"{s} {v:g}" for s, v in zip(series, bar.values, strict=False)))
    return _svg(width, height, title, "; ".join(words), body)


def line_chart(series: dict[str, Sequence[tuple[date, float]]], *, title: str, maximum: float = 100.0) -> SafeString:
    """Values over time, one line per series (e.g. a rescreening trend)."""
    width, height, left, right, top, bottom = 560, 220, 40, 20, 24, 36
    points = [d for values in series.values() for d, _ in values]
    body: list[str] = []
    plot_w, plot_h = width - left - right, height - top - bottom
    for tick in range(0, 101, 25):
        y = top + plot_h * (1 - tick / 100)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" fill="{MUTED}" text-anchor="end">{tick * maximum / 100:g}</text>'
        )
    words = []
    if points:
        first, last = min(points), max(points)
        span = max((last - first).days, 1)

        def x_of(d: date) -> float:
            return left + plot_w * ((d - first).days / span if last != first else 0.5)

        for i, (name, values) in enumerate(series.items()):
            colour = SERIES[i % len(SERIES)]
            coords = [(x_of(d), top + plot_h * (1 - max(0.0, min(v, maximum)) / maximum)) for d, v in values]
            if len(coords) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
                body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for x, y in coords:
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
            words.append(f"{name}: " + ", ".join(f"{show(d)} {v:g}" for d, v in values))
        year = None
        for d in sorted(set(points)):
            label = show(d, "MONTH_DAY_FORMAT")
            body.append(f'<text x="{x_of(d):.1f}" y="{height - 14}" fill="{MUTED}" text-anchor="middle">{label}</text>')
            if d.year != year:
                # The year under the first date and wherever it changes, so a trend across New Year reads right.
                year = d.year
                body.append(
                    f'<text x="{x_of(d):.1f}" y="{height - 1}" fill="{MUTED}" text-anchor="middle"'
                    f' font-size="10">{year}</text>'
                )
        if len(series) > 1:
            for i, name in enumerate(series):
                x = left + i * 150
                body.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{SERIES[i % len(SERIES)]}"/>')
                body.append(f'<text x="{x + 18}" y="14" fill="{INK}">{_e(name)}</text>')
    else:
        body.append(
            f'<text x="{width / 2}" y="{height / 2}" fill="{MUTED}" text-anchor="middle">{_e(gettext("No results yet"))}</text>'
        )
        words.append(gettext("No results yet"))
    return _svg(width, height, title, "; ".join(words), body)


def dot_matrix(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: dict[tuple[int, int], int],
    *,
    title: str,
    levels: int = 3,
    years: Sequence[int] | None = None,
) -> SafeString:
    """A grid of dots sized by level (0 = none): e.g. practices (rows) across sessions (columns).

    With `years` (one per column), the year is written above the first column and wherever it
    changes, and the description names it with each column.
    """
    label_w, cell, top = 190, 36, 30 if years is None else 44
    width = label_w + cell * max(len(columns), 1) + 10
    height = top + cell * len(rows) + 10
    body: list[str] = []
    previous = None
    for c, name in enumerate(columns):
        x = label_w + c * cell + cell / 2
        body.append(
            f'<text x="{x:.1f}" y="{top - 10}" fill="{MUTED}" text-anchor="middle" font-size="10">{_e(name)}</text>'
        )
        if years is not None and years[c] != previous:
            previous = years[c]
            body.append(
                f'<text x="{x:.1f}" y="{top - 24}" fill="{INK}" text-anchor="middle" font-size="10">{previous}</text>'
            )
    if years is not None:
        columns = [f"{name}, {year}" for name, year in zip(columns, years, strict=True)]
    words = []
    for r, name in enumerate(rows):
        y = top + r * cell + cell / 2
        body.append(f'<text x="{label_w - 8}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{_e(name)}</text>')
        seen = []
        for c in range(len(columns)):
            level = max(0, min(cells.get((r, c), 0), levels))
            x = label_w + c * cell + cell / 2
            if level:
                radius = 3 + 8 * level / levels
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{SERIES[r % len(SERIES)]}"/>')
                seen.append(f"{columns[c]} {level}")
            else:
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{GRID}"/>')
        words.append(f"{name}: " + (", ".join(seen) if seen else gettext("none")))
    return _svg(width, height, title, "; ".join(words), body)


@dataclass(frozen=True)
class Mark:
    """One cell of a marks grid: a level from -1 (a step back) to 3, and the words it stands for."""

    level: int
    words: str


def marks_grid(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: dict[tuple[int, int], Mark],
    *,
    title: str,
    shaded: Sequence[int] = (),
    spoken: Sequence[str] | None = None,
) -> SafeString:
    """Rows (e.g. goals) across columns (e.g. sessions and reviews), a mark where a row was touched.

    A level above 0 is a dot sized by level, 0 a ring (touched, no change), -1 a
    downward triangle (a step back). `shaded` columns (e.g. reviews) sit on a
    grey band. The description gives each row's marks in order, in words, naming
    each column by `spoken` when given (e.g. the full date, year included).
    """
    label_w, cell, top = 240, 40, 44
    width = label_w + cell * max(len(columns), 1) + 10
    height = top + cell * len(rows) + 10
    body: list[str] = []
    for c, name in enumerate(columns):
        x = label_w + c * cell + cell / 2
        if c in shaded:
            body.append(
                f'<rect x="{label_w + c * cell + 2}" y="4" width="{cell - 4}" '
                f'height="{cell * len(rows) + top - 2}" fill="{GRID}" opacity="0.5"/>'
            )
        # A label of two lines ("Review" over its date) keeps narrow columns apart.
        lines = name.split("\n")
        for i, line in enumerate(lines):
            y = top - 10 - 12 * (len(lines) - 1 - i)
            body.append(
                f'<text x="{x:.1f}" y="{y}" fill="{MUTED}" text-anchor="middle" font-size="10">{_e(line)}</text>'
            )
    columns = list(spoken) if spoken is not None else [name.replace("\n", " ") for name in columns]
    words = []
    for r, name in enumerate(rows):
        y = top + r * cell + cell / 2
        short = name if len(name) <= 30 else name[:29] + "…"
        body.append(f'<text x="{label_w - 8}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{_e(short)}</text>')
        seen = []
        for c in range(len(columns)):
            mark = cells.get((r, c))
            x = label_w + c * cell + cell / 2
            if mark is None:
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{GRID}"/>')
                continue
            colour = SERIES[r % len(SERIES)]
            if mark.level < 0:
                points = f"{x - 7:.1f},{y - 5:.1f} {x + 7:.1f},{y - 5:.1f} {x:.1f},{y + 7:.1f}"
                body.append(f'<polygon points="{points}" fill="{HIGHLIGHT}"/>')
            elif mark.level == 0:
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="none" stroke="{colour}" stroke-width="2"/>')
            else:
                radius = 3 + 8 * min(mark.level, 3) / 3
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}"/>')
            seen.append(f"{columns[c]} {mark.words}")
        words.append(f"{name}: " + (", ".join(seen) if seen else gettext("nothing recorded yet")))
    return _svg(width, height, title, "; ".join(words), body)
