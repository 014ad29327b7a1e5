"""No template and no instrument writes an emergency number: it is the practice's (PRACTICE_COUNTRY).

A client in Los Angeles who reads "call 999" loses time. The number reaches pages as
{{ emergency_number }} and instruments as {emergency_number}; this test reads every template and
every string in assessments/ and fails on any emergency or crisis number, or on "call"/"dial"/
"text" followed by a short number, so that a new page or instrument cannot bring one back.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Emergency and crisis lines in use around the world (police, ambulance, fire, crisis lines). 100 is left
# to the "call ..." check below: scores here are out of 100.
EMERGENCY_NUMBERS = [
    "000",
    "101",
    "102",
    "103",
    "106",
    "108",
    "110",
    "111",
    "112",
    "113",
    "115",
    "116",
    "117",
    "118",
    "119",
    "120",
    "122",
    "123",
    "128",
    "130",
    "133",
    "190",
    "191",
    "192",
    "193",
    "194",
    "197",
    "199",
    "911",
    "933",
    "988",
    "990",
    "991",
    "995",
    "997",
    "998",
    "999",
    "1122",
    "10111",
    "116117",
    "116123",
    "116000",
    "116111",
]
KNOWN = re.compile(r"(?<![\w.,/-])(?:" + "|".join(sorted(EMERGENCY_NUMBERS, key=len, reverse=True)) + r")(?![\w/%-])")
# "call 15", "dial 0800 1111", "text 741741", "tel:17": any number given to be called or texted.
CALL = re.compile(r"\b(?:call|dial|ring|phone|text|tel:)\s*(?:us\s+)?(?:on\s+)?\+?\d[\d \-]{0,12}\d?", re.IGNORECASE)
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
HTML_TAG = re.compile(r"<[^>]*>", re.DOTALL)


def numbers_in_template(source: str) -> list[str]:
    """Emergency numbers in what a template shows: its text, and any number offered for calling."""
    plain = TEMPLATE_CODE.sub(" ", source)
    found = [m.group(0).strip() for m in CALL.finditer(plain)]
    found += KNOWN.findall(HTML_TAG.sub(" ", plain))
    return found


def numbers_in_python(source: str) -> list[str]:
    """Emergency numbers in the strings of a Python module (item texts, instructions, notes)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [m.group(0).strip() for m in CALL.finditer(node.value)]
            found += KNOWN.findall(node.value)
    return found


TEMPLATES = sorted(p for p in (ROOT / "templates").rglob("*") if p.is_file() and p.suffix in (".html", ".txt"))
INSTRUMENT_FILES = sorted((ROOT / "assessments").rglob("*.py"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_writes_an_emergency_number(path):
    assert numbers_in_template(path.read_text()) == []


@pytest.mark.parametrize("path", INSTRUMENT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_instrument_writes_an_emergency_number(path):
    assert numbers_in_python(path.read_text()) == []


def test_every_instrument_and_template_was_read():
    assert len(TEMPLATES) > 50 and any(p.name == "inquiry_start.html" for p in TEMPLATES)
    assert {"safety_v1.py", "power_v1.py", "models.py"} <= {p.name for p in INSTRUMENT_FILES}


@pytest.mark.parametrize(
    "text",
    [
        "<p>If you are in danger now, call 999.</p>",
        "<p>In an emergency ring 000 or 112</p>",
        '<a href="tel:911">Emergency</a>',
        '<a href="tel:988" aria-label="Crisis line">Talk to someone</a>',
        "<li>Dial 15 for an ambulance</li>",
        "<p>Text 741741 any time</p>",
        "<p>Samaritans: 116 123</p>",
    ],
)
def test_the_template_check_finds_a_number_written_in(text):
    assert numbers_in_template(text)


@pytest.mark.parametrize(
    "source",
    [
        'INSTRUCTIONS = "If you are in danger now, call 911."',
        'ITEM = ("Have you had to call 112?",)',
        'NOTE = "You can also text 988."',
    ],
)
def test_the_instrument_check_finds_a_number_written_in(source):
    assert numbers_in_python(source)


def test_the_practice_s_number_by_name_is_fine():
    assert (
        numbers_in_template('<p>If you are in danger now, call <a href="tel:{{ emergency_number }}">x</a>.</p>') == []
    )
    assert numbers_in_python('INSTRUCTIONS = "If you are in danger now, call {emergency_number}."') == []
    assert numbers_in_template('<input max="100" style="width: 100%"><p>Up to 2000 characters, 27 questions.</p>') == []
