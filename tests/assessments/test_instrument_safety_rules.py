import pytest

import assessments.catalogue  # noqa: F401
from assessments.framework import registry, score

SAFETY = registry.get("safety", 1)


def none() -> dict[str, int]:
    return {i.id: 0 for i in SAFETY.items}


def level(**answers) -> dict:
    return score(instrument=SAFETY, answers={**none(), **answers})


def test_no_concerns_is_level_none():
    assert level() == {**level(), "level": "none", "rules": [], "items": []}


@pytest.mark.parametrize(
    ("item", "expected", "rule"),
    [
        ("dg_physical", "urgent", "U1"),
        ("dg_threats", "urgent", "U2"),
        ("dg_sexual", "urgent", "U3"),
        ("dg_strangling", "urgent", "U4"),
        ("dg_selfharm", "urgent", "U5"),
        ("dg_monitoring", "elevated", "E1"),
        ("dg_afraid", "elevated", "E2"),
        ("dg_weapons", "elevated", "E3"),
    ],
)
def test_each_danger_item_alone_gives_its_level(item, expected, rule):
    result = level(**{item: 1})
    assert (result["level"], result["rules"], result["items"]) == (expected, [rule], [item])


def test_a_weapon_and_fear_together_are_urgent():
    result = level(dg_weapons=1, dg_afraid=1)
    assert result["level"] == "urgent"
    assert result["rules"] == ["U6", "E2", "E3"]


def test_one_warning_sign_often_is_elevated():
    assert level(ws_fear=3)["level"] == "elevated"
    assert level(ws_fear=2)["level"] == "none"


def test_three_warning_signs_sometimes_are_elevated():
    assert level(ws_recurring=2, ws_denial=2)["level"] == "none"
    result = level(ws_recurring=2, ws_denial=2, ws_conflict=2)
    assert (result["level"], result["rules"]) == ("elevated", ["E5"])
    assert result["items"] == ["ws_recurring", "ws_denial", "ws_conflict"]
