"""Reliable change and internal consistency against hand-computed values, the switch from the
questionnaire's defaults to the practice's own data at 30 screenings, and the perception gap over time."""

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import assessments.catalogue  # noqa: F401
from assessments.change import (
    BETTER,
    CONVERGING,
    DEFAULTS,
    DIVERGING,
    MIN_OWN,
    NO_CHANGE,
    OWN,
    STEADY,
    WORSE,
    bases,
    classify,
    client_change,
    cronbach_alpha,
    gap_trends,
    pair_by_date,
    rci,
    s_diff,
)
from assessments.framework import OVERALL, registry, score

POWER = registry.get("power", 1)

# Worked by hand: S_diff = sqrt(2) * SD * sqrt(1 - r); RCI = (x2 - x1) / S_diff.
#   x1   x2   SD    r     S_diff   RCI
RCI_TABLE = [
    (60, 40, 20, 0.70, 15.49, -1.29),  # 1.4142 * 20 * 0.5477 = 15.49; -20 / 15.49
    (60, 20, 20, 0.70, 15.49, -2.58),  # -40 / 15.49
    (50, 75, 15, 0.85, 8.22, 3.04),  # 1.4142 * 15 * 0.3873 = 8.22; 25 / 8.22
    (40, 30, 10, 0.90, 4.47, -2.24),  # 1.4142 * 10 * 0.3162 = 4.47; -10 / 4.47
    (30, 30, 20, 0.70, 15.49, 0.00),
]


@pytest.mark.parametrize(("x1", "x2", "sd", "r", "expected_sdiff", "expected_rci"), RCI_TABLE)
def test_the_rci_matches_the_hand_computed_table(x1, x2, sd, r, expected_sdiff, expected_rci):
    assert round(s_diff(sd, r), 2) == expected_sdiff
    assert round(rci(x1, x2, sd=sd, r=r), 2) == expected_rci


# Worked by hand: alpha = k/(k-1) * (1 - sum of item variances / variance of the totals), sample variances.
ALPHA_TABLE = [
    # items 1.667 + 0.667 + 0.917 = 3.25; totals 6, 9, 9, 13 -> 8.25; 1.5 * (1 - 3.25 / 8.25) = 0.91
    ([[1, 2, 3], [2, 3, 4], [3, 3, 3], [4, 4, 5]], 0.91),
    # items 1 + 1; totals 1, 1, 4 -> 3; 2 * (1 - 2 / 3) = 0.67
    ([[0, 1], [1, 0], [2, 2]], 0.67),
    # identical items: items 1 + 1; totals 2, 4, 6 -> 4; 2 * (1 - 2 / 4) = 1.00
    ([[1, 1], [2, 2], [3, 3]], 1.00),
]


@pytest.mark.parametrize(("rows", "expected"), ALPHA_TABLE)
def test_alpha_matches_the_hand_computed_table(rows, expected):
    assert round(cronbach_alpha(rows), 2) == expected


def test_alpha_is_undefined_without_variance_or_enough_rows():
    assert cronbach_alpha([[1, 1], [1, 1]]) is None
    assert cronbach_alpha([[1, 2]]) is None
    assert cronbach_alpha([[1], [2]]) is None


def test_lower_is_better_on_the_power_questionnaire():
    # A higher domain score means more imbalance (assessments/power_v1.py), so a fall is an improvement.
    assert POWER.lower_is_better
    assert classify(-2.4, lower_is_better=True) == BETTER
    assert classify(2.4, lower_is_better=True) == WORSE
    assert classify(-1.96, lower_is_better=True) == NO_CHANGE
    assert classify(2.4, lower_is_better=False) == BETTER


def answers(level: int, noise: int = 0) -> dict[str, int]:
    """Answers at one level of imbalance (0 to 4), each item nudged a little by `noise` so items differ."""
    out = {}
    for n, item in enumerate(POWER.items):
        value = max(0, min(4, level + (1 if (n + noise) % 3 == 0 else 0)))
        if item.scale == "who":
            out[item.id] = min(2, value // 2)
        else:
            out[item.id] = 4 - value if item.reversed else value
    return out


def practice(count: int) -> list[tuple[dict, dict]]:
    rows = []
    for n in range(count):
        given_answers = answers(n % 5, noise=n)
        rows.append((given_answers, score(instrument=POWER, answers=given_answers)))
    return rows


def test_the_practice_data_replaces_the_defaults_from_30_screenings():
    few = bases(POWER, practice(MIN_OWN - 1))
    assert {b.source for b in few.values()} == {DEFAULTS}
    assert few["money"].sd == POWER.norms["money"].sd and few["money"].r == POWER.norms["money"].r
    assert few["money"].n == 29 and "provisional defaults" in few["money"].words
    assert 0 < few[OVERALL].alpha < 1  # shown to the practice, not yet used
    enough = bases(POWER, practice(MIN_OWN))
    assert {b.source for b in enough.values()} == {OWN}
    overall = enough[OVERALL]
    assert overall.n == 30 and overall.words == "practice's own data, n = 30"
    assert 0 < overall.r < 1 and overall.r == overall.alpha
    scores = [s["index"] for _, s in practice(MIN_OWN)]
    mean = sum(scores) / len(scores)
    assert overall.sd == pytest.approx(math.sqrt(sum((x - mean) ** 2 for x in scores) / (len(scores) - 1)))


def test_a_domain_without_spread_keeps_the_defaults_and_says_so():
    same = [(answers(2), score(instrument=POWER, answers=answers(2)))] * MIN_OWN
    result = bases(POWER, same)
    assert result["money"].source == DEFAULTS and result["money"].n == MIN_OWN
    assert result["money"].words == "provisional defaults; practice's n = 30 give no usable spread here"


def scores_with(**domains) -> dict:
    base = {d.key: 50.0 for d in POWER.domains}
    base.update(domains)
    return {
        "index": round(sum(base.values()) / len(base), 1),
        "domains": [{"key": k, "title": POWER.domain(k).title, "score": v} for k, v in base.items()],
    }


def test_each_domain_is_classified_since_the_first_and_the_last_screening():
    basis = bases(POWER, [])
    series = [
        (date(2026, 1, 5), scores_with(money=90.0, digital=10.0)),
        (date(2026, 2, 16), scores_with(money=60.0, digital=20.0)),
        (date(2026, 3, 30), scores_with(money=40.0, digital=60.0)),
    ]
    result = client_change(POWER, series, basis)
    first = {c.key: c for c in result.since_first}
    last = {c.key: c for c in result.since_last}
    # Money 90 -> 40 with SD 20, r .70: -50 / 15.49 = -3.23; since the last 60 -> 40: -1.29.
    assert (first["money"].rci, first["money"].verdict) == (-3.23, BETTER)
    assert (last["money"].rci, last["money"].verdict) == (-1.29, NO_CHANGE)
    # Digital 10 -> 60: +3.23, worse; 20 -> 60: +2.58, worse since the last too.
    assert (first["digital"].verdict, last["digital"].verdict) == (WORSE, WORSE)
    assert first["money"].sentence == (
        "Reliably better on Money and resources since the first questionnaire (RCI \u22123.2; provisional defaults; practice has n = 0, needs 30)"
    )
    assert result.since_first[0].key == OVERALL
    assert client_change(POWER, series[:1], basis) is None


@given(
    st.floats(0, 100),
    st.floats(0, 100),
    st.floats(1, 40),
    st.floats(0.01, 0.99),
)
def test_the_rci_is_antisymmetric(x1, x2, sd, r):
    assert rci(x1, x2, sd=sd, r=r) == pytest.approx(-rci(x2, x1, sd=sd, r=r))


@given(st.floats(0, 100), st.floats(1, 40), st.floats(0.01, 0.99), st.booleans())
def test_no_change_is_never_reliable(x, sd, r, lower):
    assert classify(rci(x, x, sd=sd, r=r), lower_is_better=lower) == NO_CHANGE


@given(st.lists(st.lists(st.integers(0, 4), min_size=3, max_size=3), min_size=2, max_size=40))
def test_alpha_is_never_above_one(rows):
    alpha = cronbach_alpha(rows)
    assert alpha is None or alpha <= 1 + 1e-9


def round_of(day: date, **domains):
    return (day, scores_with(**domains))


def test_partners_screenings_pair_by_date_within_four_weeks():
    start = date(2026, 1, 5)
    a = [round_of(start), round_of(start + timedelta(days=42)), round_of(start + timedelta(days=84))]
    # B missed the second round and answered the third late, and twice in the first.
    b = [
        round_of(start + timedelta(days=3)),
        round_of(start + timedelta(days=5)),
        round_of(start + timedelta(days=100)),
    ]
    pairs = pair_by_date(a, b)
    assert [(x[0], y[0]) for x, y in pairs] == [
        (start, start + timedelta(days=3)),
        (start + timedelta(days=84), start + timedelta(days=100)),
    ]


def test_the_gap_converges_diverges_or_stays_steady():
    start = date(2026, 1, 5)
    a = [
        round_of(start, money=90.0, digital=10.0, voice=50.0),
        round_of(start + timedelta(days=42), money=60.0, digital=10.0, voice=55.0),
    ]
    b = [
        round_of(start + timedelta(days=1), money=20.0, digital=20.0, voice=50.0),
        round_of(start + timedelta(days=43), money=40.0, digital=60.0, voice=50.0),
    ]
    trends = {g.key: g for g in gap_trends(POWER, a, b)}
    # Money: gap 70 -> 20 (converging); digital 10 -> 50 (diverging); voice 0 -> 5 (steady, under 10 points).
    assert [v for _, v in trends["money"].gaps] == [70.0, 20.0] and trends["money"].trend == CONVERGING
    assert trends["digital"].trend == DIVERGING and trends["voice"].trend == STEADY
    assert trends["money"].sentence == "Money and resources: converging, gap 70 → 20 points over 2 rounds"
    assert gap_trends(POWER, a, []) == []


def test_every_instrument_that_judges_change_has_defaults_for_each_domain_and_overall():
    for instrument in registry:
        if instrument.item_score is None:
            continue
        keys = {d.key for d in instrument.domains} | {OVERALL}
        assert set(instrument.norms) == keys, instrument.key
        assert all(n.sd > 0 and 0 < n.r < 1 for n in instrument.norms.values())
