"""Worked examples for the Power Dynamics Screener v1, computed by hand."""

import pytest

import assessments.catalogue  # noqa: F401  (registers the instruments)
from assessments.framework import registry, score

POWER = registry.get("power", 1)


def balanced() -> dict[str, int]:
    """Every answer at its most balanced: shared say, never for problems, very often for reversed items."""
    return {i.id: 0 if i.scale == "who" else (4 if i.reversed else 0) for i in POWER.items}


def test_all_balanced_answers_score_zero():
    result = score(instrument=POWER, answers=balanced())
    assert (result["index"], result["band"], result["direction"], result["stand_out"]) == (
        0.0,
        "balanced",
        "shared",
        [],
    )
    assert all(d["score"] == 0.0 for d in result["domains"])


def test_a_worked_example_of_one_domain_and_the_index():
    answers = balanced()
    # Digital control: checks phone "Often" (3/4 = .75), passwords "Sometimes" (.5), wants location "Very often" (1).
    answers.update(dig1=3, dig2=2, dig3=4)
    # Money: partner decides (|+2|/2 = 1), must ask "Rarely" (.25), can use shared money "Never" (reversed: 1).
    answers.update(mon1=2, mon2=1, mon3=0)
    result = score(instrument=POWER, answers=answers)
    scores = {d["key"]: d["score"] for d in result["domains"]}
    assert scores["digital"] == 75.0  # (0.75 + 0.5 + 1) / 3 = 0.75
    assert scores["money"] == 75.0  # (1 + 0.25 + 1) / 3 = 0.75
    # Index: (75 + 75 + 0 * 7) / 9 = 16.67 -> 16.7; balanced band, but two domains stand out.
    assert result["index"] == 16.7
    assert result["band"] == "balanced"
    assert result["stand_out"] == ["money", "digital"]
    # Say items: dec1 0, dec2 0, mon1 +2 -> mean 0.667 -> toward the partner.
    assert (result["direction"], result["lean"]) == ("toward_partner", 0.667)


def test_direction_comes_only_from_who_has_the_say():
    answers = balanced()
    answers.update(dec1=-2, dec2=-1, mon1=0, lab1=2, lab2=2)
    result = score(instrument=POWER, answers=answers)
    assert result["direction"] == "toward_me"  # (-2 - 1 + 0) / 3 = -1; housework leaning the other way is ignored
    labour = next(d for d in result["domains"] if d["key"] == "labour")
    assert labour["score"] == 66.7  # (1 + 1 + 0) / 3


def test_maximum_imbalance_scores_one_hundred():
    answers = {i.id: 2 if i.scale == "who" else (0 if i.reversed else 4) for i in POWER.items}
    result = score(instrument=POWER, answers=answers)
    assert (result["index"], result["band"]) == (100.0, "marked_imbalance")
    assert len(result["stand_out"]) == 9


@pytest.mark.parametrize(
    ("index", "band"),
    [
        (0.0, "balanced"),
        (24.9, "balanced"),
        (25.0, "some_imbalance"),
        (49.9, "some_imbalance"),
        (50.0, "marked_imbalance"),
        (100.0, "marked_imbalance"),
    ],
)
def test_band_thresholds(index, band):
    assert POWER.band_for(index).key == band


def test_scores_name_the_instrument_and_version():
    result = score(instrument=POWER, answers=balanced())
    assert (result["instrument"], result["version"]) == ("power", 1)
