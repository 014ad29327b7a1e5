"""Every word Python hands a client or a visitor goes through the catalogue.

Templates are read by test_nothing_untranslated.py; this reads the Python modules that serve clients and visitors
(`clinic.lib.language.SERVES_CLIENTS`, the one declaration of which they are). A string in them that reads as words —
a message after saving, an autosave's JSON message, a page's problem line, a form's label or error, an exception's
text that a page shows — must sit inside gettext (or gettext_lazy, ngettext, pgettext, gettext_noop). What is not
for reading is left alone: docstrings, dict keys, identifiers and codes ("too_long", "my_practice",
"plans/my_practice.html", "DATE_FORMAT"), log lines and audit records, and programming errors (ValueError, Http404).
Staff pages stay English: a view decorated with `role_required` for staff roles only (or `reach_required`) is skipped, and so is what the
declaration lists as staff's inside a module.

The declaration cannot leave out a module: every view a client or a visitor can open must live in a declared one.
"""

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver

from clinic.accounts.models import Role
from clinic.lib.language import SERVES_CLIENTS

TRANSLATING = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "_",
}
# Raised for programmers, never shown to a person (an Http404's words are not on the 404 page).
PROGRAMMING_ERRORS = {
    "AssertionError",
    "AttributeError",
    "Http404",
    "ImproperlyConfigured",
    "KeyError",
    "LookupError",
    "NotImplementedError",
    "RuntimeError",
    "TypeError",
    "ValueError",
}
# Calls whose words go to logs and the audit record (staff's), not to a page.
RECORDING = {"record", "debug", "info", "warning", "error", "exception", "critical"}
LOGGERS = {"logger", "log", "logging"}
# Parts of a string that are not words: tags, placeholders, %-formats.
NOT_TEXT = re.compile(r"<[^>]*>|\{[^}]*\}|%\([^)]*\)[sdfr]|%[sdfr]")
# The views open to no person's reading: a load balancer's check, a therapist's calendar app polling its feed.
READ_BY_MACHINES = {"healthz": "answers a load balancer", "calendar_feed_ics": "a therapist's calendar app reads it"}


def reads_as_words(text: str) -> bool:
    """Words a person reads: two words or more ("Not saved: ..."), or one with a sentence's end ("Saved.").

    An identifier, a code, a template or URL name, a header's name or a format has no space and no full stop.
    """
    text = NOT_TEXT.sub(" ", text)
    words = re.findall(r"[^\W\d_]{2,}", text)
    if len(words) >= 2 and re.search(r"[^\W\d_]\W*\s+\W*[^\W\d_]", text):
        # Not a header's value either ("text/calendar; charset=utf-8", "camera=(), microphone=()").
        return not all(re.search(r"[=;/]", part) for part in text.split())
    return bool(re.fullmatch(r"\s*[^\W\d_]{2,}[.!?…]\s*", text))


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _for_staff(node: ast.AST) -> bool:
    """A view decorated `role_required(...)` with staff roles only, or `reach_required(...)` (a staff page about
    records of a kind, whose roles clinic.accounts.reach gives: staff roles only, or it refuses to decorate)."""
    for decorator in getattr(node, "decorator_list", []):
        if isinstance(decorator, ast.Call) and _called(decorator) == "reach_required":
            return True
        if isinstance(decorator, ast.Call) and _called(decorator) == "role_required":
            roles = {ast.unparse(arg) for arg in decorator.args}
            return f"Role.{Role.CLIENT.name}" not in roles
    return False


# Where Python hands a person words, so that even one word ("Saved", "Withdrawn") must be translated there:
# the message of messages.info(request, ...), form.add_error(field, ...), ValidationError(...), a raised refusal,
# and the "message" of a JSON answer (its "error" is a code).
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}


def _said_to_a_person(node: ast.AST, parents: dict) -> bool:
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, ast.Call | ast.stmt):
        if isinstance(parent, ast.Dict) and child in parent.values:
            key = parent.keys[parent.values.index(child)]
            return isinstance(key, ast.Constant) and key.value == "message"
        child, parent = parent, parents.get(parent)
    if not isinstance(parent, ast.Call) or child not in parent.args:
        return False
    name, position = _called(parent), parent.args.index(child)
    if isinstance(parent.func, ast.Attribute) and ast.unparse(parent.func.value) == "messages":
        return (name in MESSAGE_LEVELS and position == 1) or (name == "add_message" and position == 2)
    if name == "add_error":
        return position == 1
    return isinstance(parents.get(parent), ast.Raise) and position == 0 and name not in PROGRAMMING_ERRORS


def _not_for_reading(node: ast.AST, parents: dict) -> bool:
    """Whether a string constant sits where no person reads it (or is already translated)."""
    if isinstance(parents.get(node), ast.Expr):
        return True  # a docstring, or a string standing as a statement
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.Dict) and child in parent.keys:
            return True
        if isinstance(parent, ast.Call):
            name = _called(parent)
            if name in TRANSLATING:
                return True
            if name in PROGRAMMING_ERRORS and child is not parent.func:
                return True
            if name in RECORDING and (
                name == "record"
                or (isinstance(parent.func, ast.Attribute) and ast.unparse(parent.func.value) in LOGGERS)
            ):
                return True
        child, parent = parent, parents.get(parent)
    return False


def untranslated_words(source: str, staff: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """(line, text) of every string in `source` that reads as words outside the catalogue.

    `staff` names top-level functions, classes and constants (or "Class.method") that serve staff only.
    """
    tree = ast.parse(source)
    parents: dict = {}
    skipped: set = set()
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in staff for t in node.targets):
            skipped.add(node)
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            if node.name in staff or _for_staff(node):
                skipped.add(node)
            for item in node.body if isinstance(node, ast.ClassDef) else ():
                if isinstance(item, ast.FunctionDef) and f"{node.name}.{item.name}" in staff:
                    skipped.add(item)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if isinstance(parents.get(node), ast.JoinedStr):
                continue  # read with its f-string
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        else:
            continue
        said = reads_as_words(text) or (re.search(r"[^\W\d_]{2,}", text) and _said_to_a_person(node, parents))
        if not said or _not_for_reading(node, parents):
            continue
        ancestor = parents.get(node)
        while ancestor is not None and ancestor not in skipped:
            ancestor = parents.get(ancestor)
        if ancestor is None:
            found.append((node.lineno, text))
    return sorted(found)


def source_of(module: str) -> str:
    return Path(importlib.import_module(module).__file__).read_text()


@pytest.mark.parametrize("module", sorted(SERVES_CLIENTS))
def test_a_module_that_serves_clients_says_every_word_through_the_catalogue(module):
    found = untranslated_words(source_of(module), SERVES_CLIENTS[module])
    assert not found, f"{module} hands a person words outside gettext:\n" + "\n".join(
        f"  line {line}: {text!r}" for line, text in found
    )


def test_what_the_declaration_lists_as_staffs_exists():
    # A name listed after it was renamed or removed would skip nothing and hide nothing: it must still be there.
    for module, staff in SERVES_CLIENTS.items():
        tree = ast.parse(source_of(module))
        names = set()
        for node in tree.body:
            if isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.add(node.name)
                names.update(
                    f"{node.name}.{i.name}" for i in getattr(node, "body", []) if isinstance(i, ast.FunctionDef)
                )
        assert not set(staff) - names, f"{module}: {sorted(set(staff) - names)} not found"


def _view_module(callback) -> str:
    view = getattr(callback, "view_class", None) or inspect.unwrap(callback)
    return view.__module__


def every_pattern(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from every_pattern(entry.url_patterns)
        else:
            yield entry


def test_every_view_a_client_or_a_visitor_opens_lives_in_a_declared_module():
    missing = []
    for pattern in every_pattern(get_resolver().url_patterns):
        callback = pattern.callback
        roles = getattr(callback, "allowed_roles", None)
        if roles is not None and Role.CLIENT not in roles:
            continue  # staff only
        module = _view_module(callback)
        if module.startswith("django.") or pattern.name in READ_BY_MACHINES:
            continue  # Django's own views speak through Django's catalogues
        if module not in SERVES_CLIENTS:
            missing.append(f"{pattern.name} ({module})")
    assert not missing, f"views open to clients or visitors in undeclared modules: {missing}"


# The check itself: it finds English where it hides, and leaves alone what is not for reading.

PLANTED = '''
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy as _

TITLE = _("Something to try this week")


@role_required(Role.CLIENT)
def my_page(request):
    """A docstring is for programmers."""
    if request.method == "POST":
        messages.info(request, "Please stop this one for now.")
        return redirect("my_page")
    problem = "The page sent something unexpected."
    logger.warning("a log line %s for staff", request.path)
    record(action=Action.OPENED, request=request, detail={"why": "kept for the audit"})
    if not request.user:
        raise Http404("no such page here")
    return render(request, "plans/my_page.html", {"problem": problem, "title": gettext("Your page")})


def autosave(request):
    if request.POST.get("text") is None:
        return JsonResponse({"error": "too_long", "message": "Not saved: shorten it."}, status=400)
    form.add_error(None, f"{name} is too long.")
    return HttpResponse("Saved.", content_type="text/plain; charset=utf-8")


class ChoiceForm(forms.Form):
    def clean(self):
        raise ValidationError("Choose one of them.")


def one_word(request):
    messages.success(request, "Saved")
    messages.add_message(request, messages.INFO, "Withdrawn")
    form.add_error("text", "Shorter")
    if request.GET:
        raise CheckInRefused("Refused")
    return JsonResponse({"error": "conflict", "message": "Changed"}, status=409)


@role_required(Role.THERAPIST, Role.ADMIN)
def staff_page(request):
    messages.success(request, "Staff read English.")


def staff_helper():
    return "Staff words too."


STAFF_REASONS = {"flag": "A reason only staff read."}
'''


def test_the_check_finds_a_planted_english_message_wherever_python_hands_it_over():
    found = {text for _, text in untranslated_words(PLANTED, staff=("staff_helper", "STAFF_REASONS"))}
    assert found == {
        "Please stop this one for now.",
        "The page sent something unexpected.",
        "Not saved: shorten it.",
        "{} is too long.",
        "Saved.",
        "Choose one of them.",
        "Saved",
        "Withdrawn",
        "Shorter",
        "Refused",
        "Changed",
    }


def test_the_check_fails_a_real_module_with_an_english_message_planted_in_it():
    module = "clinic.plans.exercise_views"
    source, staff = source_of(module), SERVES_CLIENTS[module]
    assert untranslated_words(source, staff) == []
    planted = source + '\n\ndef extra(request):\n    messages.info(request, "Please stop this one for now.")\n'
    assert untranslated_words(planted, staff) == [(len(source.splitlines()) + 4, "Please stop this one for now.")]


@pytest.mark.parametrize(
    "text",
    [
        "too_long",
        "my_practice",
        "plans/my_practice.html",
        "DATE_FORMAT",
        "Accept",
        "text/calendar; charset=utf-8",
        'attachment; filename="appointment.ics"',
        "camera=(), microphone=()",
        "",
    ],
)
def test_keys_names_and_codes_are_not_words(text):
    assert not reads_as_words(text)


@pytest.mark.parametrize(
    "text", ["Saved.", "Not saved: shorten it.", "Tried it: <strong>{}</strong>", "Hola, ¿qué tal?"]
)
def test_sentences_are_words(text):
    assert reads_as_words(text)
