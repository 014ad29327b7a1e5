"""Finding the passage a reviewer means, whatever Unicode the note or the paste holds."""

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from clinic.releases.passages import REDACTED, choose, find, normalize, redact


def test_it_finds_a_passage_that_appears_once():
    assert find("She said the key is under the mat.", "under the mat") == [(20, 33)]


def test_it_counts_each_appearance_left_to_right_without_overlap():
    text = "call Sam. Later: call Sam again."
    spans = find(text, "call Sam")
    assert len(spans) == 2
    assert redact(text, choose(spans, 2)) == f"call Sam. Later: {REDACTED} again."
    assert redact(text, choose(spans, 0)) == f"{REDACTED}. Later: {REDACTED} again."
    assert choose(spans, 3) == [] and find("aaaa", "aa") == [(0, 2), (2, 4)]


def test_composed_and_decomposed_accents_are_the_same_passage():
    stored = "Rene\u0301e moved to the caf\u00e9"  # "Renée" decomposed, "café" precomposed
    assert redact(stored, find(stored, "Ren\u00e9e")) == f"{REDACTED} moved to the café"
    assert find(stored, "cafe\u0301") != []


def test_invisible_characters_and_odd_spaces_do_not_hide_a_passage():
    stored = "new\u200b address:\u00a012\r\nOak\u00adStreet"
    spans = find(stored, "new address: 12 OakStreet")
    assert len(spans) == 1
    assert redact(stored, spans) == REDACTED


def test_capitals_matter_and_a_match_never_splits_a_letter_from_its_accent():
    assert find("Under the mat", "under the mat") == []
    assert find("q\u0307 and q", "q") == [(7, 8)]  # not the q carrying a combining dot


def test_an_empty_or_blank_passage_finds_nothing():
    assert find("text", "") == [] and find("text", " \u200b ") == []


@given(st.text(max_size=80), st.text(min_size=1, max_size=8))
def test_any_text_and_passage_give_ordered_spans_inside_the_text(text, passage):
    spans = find(text, passage)
    length = len(normalize(text))
    assert all(0 <= begin < end <= length for begin, end in spans)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))
    assert redact(text, spans).count(REDACTED) >= min(len(spans), 1)
