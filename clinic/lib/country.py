"""What the practice's country decides: the emergency number, the default help page,
the quick-exit destination, phone numbers, time zone and how dates are written.

One profile per supported country. `settings.PRACTICE_COUNTRY` picks one; the
settings that Django reads at start (time zone, language and so date formats,
quick exit) are derived from it in settings.py, and everything read at run time
(the emergency number, hotlines, phone region) goes through `current()`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

from clinic.lib.marks import gettext_noop

# The default help page's words, in the catalogue so that it reads in each client's language (help_page_in).
EMERGENCY_LINE = gettext_noop("If you are in danger now, call %(number)s.")
SAFETY_PARAGRAPHS = (
    gettext_noop(
        "You are not alone, and what is happening is not your fault. The services below are free and "
        "confidential. You can call them to talk things through, to make a plan to stay safe, or to find "
        "somewhere to go. Your practice can help you too: you can ask for a session on your own at any time."
    ),
    gettext_noop(
        "If someone else may check your phone or computer, consider using a device they cannot see, "
        "and use the Exit button or the Esc key to leave this page quickly."
    ),
)
TWENTY_FOUR_HOURS = gettext_noop("24 hours")


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    emergency_number: str
    # The help page a practice starts from; admins replace it with their own local services.
    hotlines: tuple[dict, ...]
    # A neutral, everyday site that a person in this country would plausibly have open.
    quick_exit_url: str
    time_zone: str
    # Decides the date formats (clinic/formats/<language>/formats.py).
    language_code: str
    # Region for reading phone numbers typed without a country code.
    phone_region: str
    # A fictional number in the national format, shown as an example in phone fields.
    phone_example: str

    # Per hotline number: what a reader of another language should know (e.g. that the line answers in Spanish).
    language_help: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def emergency_line(self) -> str:
        return EMERGENCY_LINE % {"number": self.emergency_number}

    @property
    def safety_intro(self) -> str:
        return "\n\n".join((self.emergency_line, *SAFETY_PARAGRAPHS))

    def emergency_entry(self) -> dict:
        return {
            "name": gettext_noop("Emergency services"),
            "phone": self.emergency_number,
            "hours": TWENTY_FOUR_HOURS,
            "note": gettext_noop("If you are in danger now."),
        }

    def default_hotlines(self) -> list[dict]:
        return [self.emergency_entry(), *(dict(line) for line in self.hotlines)]


UNITED_STATES = Country(
    code="US",
    name="United States",
    emergency_number="911",
    hotlines=(
        {
            "name": "988 Suicide & Crisis Lifeline",
            "phone": "988",
            "hours": TWENTY_FOUR_HOURS,
            "note": gettext_noop(
                "Call or text 988 if you are thinking about harming yourself, or need someone to talk to."
            ),
        },
        {
            "name": "National Domestic Violence Hotline",
            "phone": "1-800-799-7233",
            "hours": TWENTY_FOUR_HOURS,
            "note": gettext_noop(
                "Free, confidential support for anyone experiencing abuse. You can also text START to 88788."
            ),
        },
    ),
    # Both lines answer in Spanish (988: press 2, or text AYUDA; the Hotline has Spanish-speaking advocates).
    language_help={
        "988": {"es": "En español: llame al 988 y marque 2, o envíe la palabra AYUDA por mensaje de texto al 988."},
        "1-800-799-7233": {"es": "Hablan español: llame y pida atención en español, las 24 horas."},
    },
    quick_exit_url="https://www.weather.gov/",
    time_zone="America/Los_Angeles",
    language_code="en-us",
    phone_region="US",
    phone_example="(213) 555-0123",
)

UNITED_KINGDOM = Country(
    code="GB",
    name="United Kingdom",
    emergency_number="999",
    hotlines=(
        {
            "name": "National Domestic Abuse Helpline",
            "phone": "0808 2000 247",
            "hours": TWENTY_FOUR_HOURS,
            "note": gettext_noop("Free, confidential support for anyone experiencing abuse."),
        },
        {
            "name": "Samaritans",
            "phone": "116 123",
            "hours": TWENTY_FOUR_HOURS,
            "note": gettext_noop("If you are thinking about harming yourself, or need someone to talk to."),
        },
    ),
    quick_exit_url="https://www.bbc.co.uk/weather",
    time_zone="Europe/London",
    language_code="en-gb",
    phone_region="GB",
    phone_example="020 7946 0123",
)

COUNTRIES = {country.code: country for country in (UNITED_STATES, UNITED_KINGDOM)}
DEFAULT_COUNTRY = UNITED_STATES.code


def profile(code: str) -> Country:
    """The profile for a country code (US, GB); anything else stops the process with a clear message."""
    try:
        return COUNTRIES[code.strip().upper()]
    except KeyError:
        supported = ", ".join(f"{c.code} ({c.name})" for c in COUNTRIES.values())
        raise ImproperlyConfigured(f"PRACTICE_COUNTRY must be one of {supported}, not {code!r}.") from None


def current() -> Country:
    from django.conf import settings

    return profile(settings.PRACTICE_COUNTRY)


# The help page as it shipped before the country was a setting (a UK page). A stored page that still
# holds these words was never written by the practice, so it follows the country instead (see SafetyInfo).
LEGACY_SAFETY_INTRO_FIRST_PARAGRAPH = "If you are in danger now, call the emergency number 999 (or 112)."
LEGACY_EMERGENCY_ENTRY = {
    "name": "Emergency services",
    "phone": "999",
    "hours": TWENTY_FOUR_HOURS,
    "note": "If you are in danger now.",
}
LEGACY_HOTLINES = [
    LEGACY_EMERGENCY_ENTRY,
    {
        "name": "National domestic abuse helpline",
        "phone": "0808 2000 247",
        "hours": TWENTY_FOUR_HOURS,
        "note": "Free, confidential support for anyone experiencing abuse.",
    },
    {
        "name": "Samaritans",
        "phone": "116 123",
        "hours": TWENTY_FOUR_HOURS,
        "note": "If you are thinking about harming yourself, or need someone to talk to.",
    },
]


def help_page_for(practice: Country, *, intro: str, hotlines: list[dict]) -> tuple[str, list[dict]]:
    """A stored help page as this practice's clients must read it.

    Words the practice wrote stay as written. Words that are only a shipped default of another
    country (or of the old UK page) follow this practice's country: a whole default page becomes
    this country's default; an emergency line or entry left from another country's default gets
    this country's number. Nothing is saved; the next save from the editor stores what was shown.
    """
    others = [c for c in COUNTRIES.values() if c.emergency_number != practice.emergency_number]
    if any(intro == c.safety_intro for c in others):
        intro = practice.safety_intro
    else:
        first, sep, rest = intro.partition("\n\n")
        foreign_lines = {c.emergency_line for c in others}
        if practice.emergency_number != "999":
            foreign_lines.add(LEGACY_SAFETY_INTRO_FIRST_PARAGRAPH)
        if first.strip() in foreign_lines:
            intro = practice.emergency_line + sep + rest
    if any(hotlines == c.default_hotlines() for c in others) or (
        hotlines == LEGACY_HOTLINES and practice.code != UNITED_KINGDOM.code
    ):
        return intro, practice.default_hotlines()
    foreign_entries = [c.emergency_entry() for c in others]
    if practice.emergency_number != "999":
        foreign_entries.append(LEGACY_EMERGENCY_ENTRY)
    return intro, [practice.emergency_entry() if line in foreign_entries else line for line in hotlines]


def help_page_in(practice: Country, language: str) -> tuple[str, list[dict]]:
    """The country's default help page in another language: its words from the catalogue, numbers as they are.

    The services' names stay as the services name themselves.
    """
    from django.utils.translation import gettext, override

    from clinic.lib.language import to_activate

    with override(to_activate(language)):
        intro = "\n\n".join(
            (gettext(EMERGENCY_LINE) % {"number": practice.emergency_number}, *map(gettext, SAFETY_PARAGRAPHS))
        )
        lines = [
            {**line, "name": gettext(line["name"]), "hours": gettext(line["hours"]), "note": gettext(line["note"])}
            for line in practice.default_hotlines()
        ]
    return intro, lines
