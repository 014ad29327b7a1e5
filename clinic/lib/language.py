"""Which language a page, an email or a document speaks.

Staff pages are in English. A client's pages, emails, text messages and
documents are in the language on their record (`Client.language`). A public
page speaks the language in its address: `/check/` is English, `/es/check/`
Spanish. Nothing is kept in the browser to remember it (no language cookie),
so a shared device keeps no sign that a page was read in another language.

A record stores the bare language ("en", "es"); English is activated as the
practice's own English ("en-us" or "en-gb", from the practice's country), so
that dates follow the country and public addresses carry no prefix.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


def base_language() -> str:
    """The practice's first language, bare: "en" for en-us."""
    return settings.LANGUAGE_CODE.split("-")[0]


def choices() -> list[tuple[str, str]]:
    """The languages a client can have, each named in itself ("Español")."""
    return list(settings.LANGUAGES)


def known(language: str) -> bool:
    return language in dict(settings.LANGUAGES)


def bare(code: str | None) -> str:
    """A record's value for an active language code: "en-us" -> "en"."""
    if not code:
        return base_language()
    code = code.lower()
    if known(code):
        return code
    short = code.split("-")[0]
    return short if known(short) else base_language()


def to_activate(language: str | None) -> str:
    """The code to activate for a record's language: English as the practice's own English."""
    language = bare(language)
    return settings.LANGUAGE_CODE if language == base_language() else language


def current() -> str:
    """The active language, bare."""
    return bare(translation.get_language())


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Render an email, a text message or a document in a client's language."""
    with translation.override(to_activate(language)):
        yield


def name_of(language: str) -> str:
    return dict(settings.LANGUAGES).get(language, language)


def editing(request) -> str:
    """The language an admin's page of per-language texts edits: the one in its address (`?language=es`), or the
    practice's first language for a missing or unknown one."""
    asked = request.GET.get("language", "")
    return asked if known(asked) else base_language()


def editing_address(path: str, language: str) -> str:
    """The address of that page in `language`: the plain path for the practice's first language."""
    return path if language == base_language() else f"{path}?language={language}"


# The Python modules that serve clients and visitors. Every word they hand a person — a page's problem line, a
# message after saving, an autosave's JSON message, a form's label or error, an exception's text that a page
# shows — goes through the catalogue (gettext, gettext_lazy, ngettext, pgettext), so that it reads in the
# client's language (tests/i18n/test_python_words_translated.py reads these modules and fails on an English
# word outside it). Each module maps to what inside it serves staff only and stays English: a view decorated
# with `role_required` for staff roles only, or with `reach_required`, is found from its decorator and needs no
# listing here.
SERVES_CLIENTS: dict[str, tuple[str, ...]] = {
    # Views: every module that holds a page, an autosave or a file a client or a visitor opens.
    "assessments.own_progress": ("REFUSED_WHILE_FLAGGED",),
    "assessments.views": (),
    "clinic.accounts.reset": (),
    "clinic.accounts.views": (),
    "clinic.appointments.client_views": (),
    "clinic.clients.contact": ("StaffContactForm",),
    "clinic.clients.views": (),
    "clinic.plans.exercise_views": ("_exercise_page",),
    "clinic.plans.progress": ("GoalProgress", "_progress_chart"),
    "clinic.releases.views": (),
    "clinic.views": (),
    "intake.inquiries": ("CloseForm",),
    "intake.views": (),
    # What those views show: forms, and the refusals of the steps a client takes.
    "assessments.checkins": ("REASON_TEXTS", "case_context"),
    "clinic.accounts.forms": ("StaffForm",),
    "clinic.lib.http": (),
    "clinic.middleware": (),
    "clinic.plans.exercise_forms": ("ExerciseForm", "ExerciseTextForm", "AssignmentForm"),
    "clinic.plans.exercises": ("CHECKIN_REASONS",),
    "clinic.plans.planning": ("start_plan", "start_review", "StalePlan"),
    "clinic.releases.forms": (
        "PaperAuthorizationForm",
        "StaffRevokeForm",
        "OCCURRENCES",
        "RedactionForm",
        "WithholdForm",
    ),
    "intake.forms": ("ConsentTextForm",),
    "intake.sections": (),
}
