"""Finding a passage in a piece of text, as a person copying it from a page would mean it.

Both sides are compared after Unicode NFC normalisation (a precomposed "é"
and "e" + combining accent are the same passage), with line endings made
"\n", invisible format characters dropped (zero-width spaces and joiners,
soft hyphens, direction marks: category Cf) and every run of whitespace
(including no-break and other Unicode spaces) taken as one space. Matching is
case-sensitive. A match never splits a character from its combining marks.

Appearances are counted left to right without overlapping; the first is 1.
"""

import unicodedata

REDACTED = "[redacted]"


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _searchable(text: str) -> tuple[str, list[int]]:
    """The comparison form of normalized `text`, with each of its characters' index in `text`."""
    chars: list[str] = []
    index: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if unicodedata.category(ch) == "Cf":
            continue
        if ch.isspace():
            if space:
                continue
            chars.append(" ")
            space = True
        else:
            chars.append(ch)
            space = False
        index.append(i)
    return "".join(chars), index


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me")


def find(text: str, passage: str) -> list[tuple[int, int]]:
    """Spans (start, end) in normalize(text) of every appearance of `passage`, left to right."""
    text = normalize(text)
    haystack, index = _searchable(text)
    needle = _searchable(normalize(passage))[0].strip(" ")
    if not needle:
        return []
    spans = []
    start = 0
    while (at := haystack.find(needle, start)) != -1:
        end = at + len(needle)
        begin, stop = index[at], index[end - 1] + 1
        splits = _is_mark(text[begin]) or (stop < len(text) and _is_mark(text[stop]))
        if splits:
            start = at + 1
            continue
        spans.append((begin, stop))
        start = end
    return spans


def choose(spans: list[tuple[int, int]], occurrence: int) -> list[tuple[int, int]]:
    """The appearance numbered `occurrence` (from 1), or all of them for 0; [] when there is no such one."""
    if occurrence == 0:
        return spans
    return [spans[occurrence - 1]] if 0 < occurrence <= len(spans) else []


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """normalize(text) cut into (piece, is_redacted) pieces, for a preview that shows what goes."""
    text = normalize(text)
    pieces, at = [], 0
    for begin, end in merge(spans):
        if begin > at:
            pieces.append((text[at:begin], False))
        pieces.append((text[begin:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def redact(text: str, spans: list[tuple[int, int]]) -> str:
    """The text as released: each redacted span replaced by "[redacted]". Unchanged when nothing is redacted."""
    if not spans:
        return text
    return "".join(REDACTED if hidden else piece for piece, hidden in segments(text, spans))
