"""The session check-in's scoring and its alert rules: worked examples, then properties that hold for any answers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.checkin_v1 import CHECKIN_INDIVIDUAL_V1, CHECKIN_V1, DEFAULT_RULES, Rules
from assessments.checkins import fell_sharply, lower_pattern
from assessments.framework import IncompleteAnswers, score

RULE = DEFAULT_RULES  # gap 2 points in 2 of the last 3 conjoint sessions; a fall of 3 points


@pytest.mark.parametrize(
    ("answers", "mean"),
    [
        ({"heard": 7, "say": 8, "disagree": 8, "pace": 8, "fair": 8}, 7.8),
        ({"heard": 0, "say": 0, "disagree": 0, "pace": 0, "fair": 10}, 2.0),
        ({"heard": 10, "say": 10, "disagree": 10, "pace": 10, "fair": 10}, 10.0),
        ({"heard": 5, "say": 6, "disagree": 6, "pace": 6, "fair": 6}, 5.8),
    ],
)
def test_the_mean_of_the_five_lines_worked_examples(answers, mean):
    result = score(instrument=CHECKIN_V1, answers=answers)
    assert result["mean"] == mean and result["safe_to_disagree"] == answers["disagree"]


def test_after_an_individual_session_four_lines_and_their_mean():
    result = score(instrument=CHECKIN_INDIVIDUAL_V1, answers={"heard": 3, "say": 4, "disagree": 4, "pace": 4})
    assert result["mean"] == 3.8  # 15 / 4 = 3.75, rounded half away from zero
    with pytest.raises(IncompleteAnswers):
        score(instrument=CHECKIN_V1, answers={"heard": 3, "say": 4, "disagree": 4, "pace": 4})


@pytest.mark.parametrize(
    ("means", "lower"),
    [
        # (first partner, second partner) per conjoint session, newest first
        ([(5.0, 8.0), (5.4, 8.2), (6.6, 7.8)], 0),  # 3.0 and 2.8 apart: two of three
        ([(5.0, 8.0), (6.6, 7.8), (5.4, 8.2)], 0),  # the two need not be in a row
        ([(5.0, 8.0), (6.6, 7.8), (7.0, 7.5)], None),  # only once
        ([(8.0, 6.0), (8.2, 6.1), (5.0, 5.0)], 1),  # the second partner runs lower
        ([(6.0, 8.0), (6.2, 8.2), (9.0, 9.0)], 0),  # exactly 2 points counts (8.2 - 6.2 in floating point too)
        ([(6.1, 8.0), (6.3, 8.2), (9.0, 9.0)], None),  # 1.9 does not
        ([(5.0, 8.0)], None),  # one session is not a pattern
        ([(5.0, 8.0), (6.0, 9.0), (1.0, 1.0), (1.0, 9.0)], 0),  # only the newest three count
        ([(9.0, 9.0), (9.0, 9.0), (1.0, 9.0), (1.0, 9.0)], None),
        ([], None),
    ],
)
def test_lower_than_the_partner_worked_examples(means, lower):
    assert lower_pattern(means, RULE) == lower


@pytest.mark.parametrize(
    ("latest", "before", "fell"),
    [
        (4.0, [7.0, 7.2, 6.8], True),  # 3.0 below the mean of the three before
        (4.1, [7.0, 7.2, 6.8], False),
        (5.2, [8.2, 8.2], True),  # 3.0 exactly, though 8.2 - 5.2 is 2.9999999999999996 in floating point
        (5.0, [9.0], True),
        (5.0, [], False),  # a first check-in cannot fall
        (2.0, [9.0, 9.0, 9.0, 1.0], True),  # only the three before count
        (8.0, [4.0, 4.0, 4.0], False),  # rising is not falling
    ],
)
def test_a_sharp_fall_worked_examples(latest, before, fell):
    assert fell_sharply(latest, before, RULE) is fell


ratings = st.floats(min_value=0, max_value=10, allow_nan=False).map(lambda v: round(v, 1))
pairs = st.lists(st.tuples(ratings, ratings), max_size=6)


@given(pairs)
def test_swapping_the_partners_swaps_who_is_named(means):
    found = lower_pattern(means, RULE)
    swapped = lower_pattern([(b, a) for a, b in means], RULE)
    assert swapped == (None if found is None else 1 - found)


@given(pairs, st.floats(min_value=-3, max_value=3, allow_nan=False))
def test_only_the_gap_matters_not_the_level(means, shift):
    moved = [(a + shift, b + shift) for a, b in means]
    # Floating-point sums near the threshold aside, the same partner is named.
    near = any(abs(abs(a - b) - RULE.gap) < 1e-6 for a, b in means)
    if not near:
        assert lower_pattern(moved, RULE) == lower_pattern(means, RULE)


@given(pairs)
def test_a_named_partner_is_lower_in_enough_of_the_window(means):
    found = lower_pattern(means, RULE)
    if found is not None:
        window = means[: RULE.window]
        assert sum(1 for p in window if round(p[1 - found] - p[found], 1) >= RULE.gap) >= RULE.gap_sessions


@given(ratings, st.lists(ratings, max_size=5), st.integers(min_value=1, max_value=6))
def test_a_stricter_threshold_never_finds_more_falls(latest, before, drop):
    if fell_sharply(latest, before, Rules(drop=drop + 1)):
        assert fell_sharply(latest, before, Rules(drop=drop))
