"""Every complete answer set scores deterministically and in range; every incomplete one is refused."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assessments.catalogue  # noqa: F401
from assessments.framework import IncompleteAnswers, registry, score

INSTRUMENTS = list(registry)


def answer_sets(instrument):
    return st.fixed_dictionaries(
        {item.id: st.sampled_from(instrument.scale(item.scale).values) for item in instrument.items}
    )


def check_ranges(instrument, result):
    if instrument.key == "power":
        assert 0 <= result["index"] <= 100
        assert all(0 <= d["score"] <= 100 for d in result["domains"])
        assert result["band"] in {b.key for b in instrument.bands}
        assert result["direction"] in {"toward_me", "shared", "toward_partner"}
    elif instrument.key.startswith("checkin"):
        values = list(result["items"].values())
        assert set(result["items"]) == {i.id for i in instrument.items}
        assert 0 <= result["mean"] <= 10 and min(values) <= result["mean"] <= max(values)
        assert result["safe_to_disagree"] == result["items"]["disagree"]
    else:
        assert result["level"] in {"none", "elevated", "urgent"}
        assert set(result["items"]) <= {i.id for i in instrument.items}


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: f"{i.key}-v{i.version}")
def test_complete_answers_score_deterministically_and_in_range(instrument):
    @settings(max_examples=200, deadline=None)
    @given(answer_sets(instrument))
    def check(answers):
        first = score(instrument=instrument, answers=answers)
        again = score(instrument=instrument, answers=json.loads(json.dumps(answers)))
        assert first == again
        assert json.loads(json.dumps(first)) == first
        check_ranges(instrument, first)

    check()


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: f"{i.key}-v{i.version}")
def test_incomplete_answers_are_refused_naming_what_is_missing(instrument):
    @settings(max_examples=200, deadline=None)
    @given(answer_sets(instrument), st.data())
    def check(answers, data):
        ids = [item.id for item in instrument.items]
        removed = data.draw(st.sets(st.sampled_from(ids), min_size=1))
        partial = {k: v for k, v in answers.items() if k not in removed}
        with pytest.raises(IncompleteAnswers) as raised:
            score(instrument=instrument, answers=partial)
        assert raised.value.missing == [i for i in ids if i in removed]

    check()
