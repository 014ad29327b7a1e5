"""Nothing a client or a visitor reads ships half-translated.

Three checks, each of which fails for one untranslated word:
- every entry of every language's catalogue has its translation (none empty, none marked fuzzy);
- every client-facing template has no words outside {% translate %} / {% blocktranslate %}, in its text
  or in the attributes a person meets (aria-label, title, placeholder, alt);
- every client-facing form says its labels, help, choices and error messages in Spanish.

A template or form that is not translated yet must be listed in PENDING, with the reason; the test
also fails when something listed there has been translated (so the list only shrinks).
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils import translation

TEMPLATES = Path(settings.BASE_DIR) / "templates"
CATALOGUES = sorted((Path(settings.BASE_DIR) / "clinic" / "locale").glob("*/LC_MESSAGES/django.po"))
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]

# Emails and texts a client receives, beside the pages (which are found from their layout).
CLIENT_MESSAGES = [
    "intake/email/invitation.txt",
    "accounts/email/password_reset.txt",
    "accounts/email/password_reset_subject.txt",
    "clients/email/something_new.txt",
]
# Not translated yet: each with why, and taken off as soon as it is.
PENDING: dict[str, str] = {}
INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")
ATTRIBUTE = re.compile(r"""\b(aria-label|title|placeholder|alt)="([^"]*)\"""")
WORD = re.compile(r"[^\W\d_]{2,}")
# Not words of a language: a key's name and the marks the pages use.
NOT_WORDS = {"Esc"}


def client_templates() -> list[str]:
    """Templates on the client layout (or the shared `layout`), what they include, and client messages."""
    names = {"layouts/client.html", *CLIENT_MESSAGES}
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if '{% extends "layouts/client.html" %}' in text or "{% extends layout %}" in text:
            names.add(str(path.relative_to(TEMPLATES)))
    queue = list(names)
    while queue:
        for included in INCLUDE.findall((TEMPLATES / queue.pop()).read_text()):
            if included not in names:
                names.add(included)
                queue.append(included)
    return sorted(names)


def untranslated(source: str) -> list[str]:
    """Words a template shows outside its translation tags."""
    outside, depth, skipping, blocks = [], 0, None, []
    for token in Lexer(source).tokenize():
        content = token.contents.strip()
        if token.token_type == TokenType.BLOCK:
            word = content.split(" ")[0] if content else ""
            if skipping:
                if word == skipping:
                    skipping = None
                continue
            if word in ("blocktranslate", "blocktrans"):
                depth += 1
            elif word in ("endblocktranslate", "endblocktrans"):
                depth -= 1
            elif word == "comment":
                skipping = "endcomment"
            elif word == "block":
                blocks.append(content.split(" ")[1])
            elif word == "endblock" and blocks:
                blocks.pop()
            outside.append("\x00")
        elif token.token_type == TokenType.TEXT and blocks and blocks[-1].endswith("_class"):
            outside.append("\x00")  # a block that holds class names, not words
        elif token.token_type == TokenType.TEXT and depth == 0 and not skipping:
            outside.append(token.contents)
        elif token.token_type != TokenType.COMMENT:
            outside.append("\x00")
    text = "".join(outside)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    found = [value for _, value in ATTRIBUTE.findall(text)]
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&[#\w]+;", " ", text)
    found.append(text)
    return [w for chunk in found for w in WORD.findall(chunk) if w not in NOT_WORDS]


def entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgstr(s) and flags (a small reader, enough for checking)."""
    found, current, key = [], None, None
    for line in [*path.read_text().splitlines(), ""]:
        if not line.strip():
            if current:
                found.append(current)
            current, key = None, None
            continue
        current = current or {"flags": "", "msgid": "", "msgstr": {}}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            key = "msgid_plural"
            current[key] = ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith("msgid "):
            key = "msgid"
            current[key] = ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith("msgstr"):
            name, value = line.split(" ", 1)
            key = ("msgstr", name)
            current["msgstr"][name] = ast.literal_eval(value)
        elif line.startswith('"'):
            if isinstance(key, tuple):
                current["msgstr"][key[1]] += ast.literal_eval(line)
            else:
                current[key] += ast.literal_eval(line)
    return found


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_catalogue_entry_is_translated(path):
    problems = []
    for entry in entries(path):
        if not entry["msgid"]:
            continue  # the header
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {entry['msgid']!r}")
        if any(not value.strip() for value in entry["msgstr"].values()) or not entry["msgstr"]:
            problems.append(f"no translation: {entry['msgid']!r}")
    assert not problems, "\n".join(problems)


def test_every_language_but_english_has_a_catalogue():
    assert {p.parts[-3] for p in CATALOGUES} == set(LANGUAGES)


def test_the_checker_finds_words_outside_translation_tags():
    assert untranslated("<p>Hello</p>") == ["Hello"]
    assert untranslated('<a aria-label="Account" href="/">{% translate "Home" %}</a>') == ["Account"]
    assert (
        untranslated('{% load i18n %}<p class="lead">{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}</p>') == []
    )
    assert untranslated('<nav aria-label="{% translate "Progress" %}" class="intake-progress">x</nav>') == []
    assert untranslated("{% comment %}Notes for developers.{% endcomment %}<kbd>Esc</kbd> · —") == []
    assert untranslated("{% block body_class %}client-layout{% endblock %}{% block content %}Hi{% endblock %}") == [
        "Hi"
    ]


@pytest.mark.parametrize("name", client_templates())
def test_a_client_facing_template_has_no_untranslated_words(name):
    words = untranslated((TEMPLATES / name).read_text())
    if name in PENDING:
        assert words, f"{name} is translated now: take it off PENDING"
        pytest.skip(f"not translated yet: {PENDING[name]}")
    assert not words, f"{name} shows words outside translation tags: {sorted(set(words))}"


def client_forms():
    from clinic.accounts.forms import EnrolForm, LanguageForm, TokenForm
    from clinic.accounts.reset import ResetRequestForm
    from clinic.clients.contact import ContactChoicesForm
    from clinic.plans.exercise_forms import CheckInForm
    from clinic.releases.forms import PortalAuthorizationForm, RevokeForm
    from intake.forms import AcceptInvitationForm
    from intake.inquiries import InquiryForm
    from intake.sections import SECTIONS

    return [
        InquiryForm,
        AcceptInvitationForm,
        LanguageForm,
        ContactChoicesForm,
        PortalAuthorizationForm,
        RevokeForm,
        CheckInForm,
        ResetRequestForm,
        TokenForm,
        EnrolForm,
    ] + [section.form_class for section in SECTIONS]


PENDING_FORMS: dict[str, str] = {}
# The same in both languages: names of languages, and words Spanish shares.
SAME_WORDS = {"English", "Español", "No"}


def texts_of(form_class) -> dict[str, str]:
    """Every text a form shows a person, keyed by where it is, in the active language."""
    try:
        form = form_class()
    except TypeError:
        form = form_class(client=None)
    found = {}
    for name, field in form.fields.items():
        if field.widget.is_hidden or name == "website":
            continue
        for kind in ("label", "help_text"):
            if getattr(field, kind):
                found[f"{name}.{kind}"] = str(getattr(field, kind))
        for key, message in field.error_messages.items():
            if key in ("required", "invalid_choice", "max_length") and message:
                found[f"{name}.error.{key}"] = str(message)
        for value, label in getattr(field, "choices", None) or []:
            if value not in ("", None):
                found[f"{name}.choice.{value}"] = str(label)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", client_forms(), ids=lambda f: f.__name__)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_client_facing_form_speaks_the_language(form_class, language):
    with translation.override(settings.LANGUAGE_CODE):
        english = texts_of(form_class)
    with translation.override(language):
        translated = texts_of(form_class)
    same = sorted(
        where
        for where, text in english.items()
        if translated[where] == text
        and text not in SAME_WORDS
        and WORD.search(text)
        and not text.startswith("Ensure this value")  # Django's own messages come from Django's catalogues
    )
    if form_class.__name__ in PENDING_FORMS:
        assert same, f"{form_class.__name__} is translated now: take it off PENDING_FORMS"
        pytest.skip(f"not translated yet: {PENDING_FORMS[form_class.__name__]}")
    assert not same, f"{form_class.__name__} still says in English: {same}"
