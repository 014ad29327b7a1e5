import pytest

import assessments.catalogue  # noqa: F401
from assessments.framework import IncompleteAnswers, InvalidAnswer, registry, score, validate_answers

POWER = registry.get("power", 1)


def complete() -> dict:
    return {i.id: 0 for i in POWER.items}


def test_missing_answers_are_listed_in_question_order():
    answers = complete()
    for item_id in ("soc2", "dec3", "pre3"):
        del answers[item_id]
    with pytest.raises(IncompleteAnswers) as raised:
        score(instrument=POWER, answers=answers)
    assert raised.value.missing == ["dec3", "soc2", "pre3"]
    assert str(raised.value) == "3 questions are not answered yet: dec3, soc2, pre3."


def test_an_empty_string_counts_as_unanswered():
    with pytest.raises(IncompleteAnswers, match="1 question is not answered yet: dec1"):
        validate_answers(POWER, {**complete(), "dec1": ""})


@pytest.mark.parametrize(
    ("item", "value", "message"),
    [
        ("dec1", 3, "the answer is not on the scale; choose one of -2 (Me)"),
        ("voi1", -1, "the answer is not on the scale; choose one of 0 (Never)"),
        ("voi1", True, "not one of the choices"),
        ("voi1", 1.5, "not one of the choices"),
        ("voi1", "abc", "not one of the choices"),
        ("voi1", [], "not one of the choices"),
    ],
)
def test_values_off_the_scale_are_refused_with_what_is_allowed(item, value, message):
    with pytest.raises(InvalidAnswer, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate_answers(POWER, {**complete(), item: value})


def test_unknown_questions_are_refused():
    with pytest.raises(InvalidAnswer, match="no such question"):
        validate_answers(POWER, {**complete(), "zzz": 1})


def test_answers_from_forms_as_text_are_accepted():
    answers = {k: str(v) for k, v in complete().items()}
    answers["dec1"] = "-2"
    assert validate_answers(POWER, answers)["dec1"] == -2
