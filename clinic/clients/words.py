"""Words staff write that clients read word for word: the one registry, and who reads each.

A shared goal's "how progress will show" reaches both partners exactly as the
therapist typed it; a note on an exercise reaches one. Every field whose text
a client page shows as staff wrote it is declared here once, with who reads
it. The editors draw from here their notice ("Both partners read this (Jo and
Sam), word for word" / "Only Jo reads this, word for word") and the check
that warns when such a text names a partner beside a score, a questionnaire
or a flag (clinic.lib.mentions) while someone else reads it.

`tests/test_words_clients_read.py` walks every client and public page and
fails when a page shows a field that is neither here nor in `NOT_STAFF_WORDS`
(what a client sees that is not staff writing to them: their own name, their
own answers). Documents released to a client are not pages: each is reviewed,
passage by passage, before it leaves (clinic.releases).

Models are named by label ("plans.Goal") so that this layer imports none of
the layers above it.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models

from clinic.lib.mentions import clinical_words, name_forms, names_in


@dataclass(frozen=True)
class Words:
    """Fields of one model that clients read word for word.

    The clients of the row's case (`case`, a path of attributes) read them, unless `client` leads from the
    row to one client: then only that client does. Words of the whole practice have neither path, and
    `who` says who reads them ("… reads this"). `who` is also what an editor says before the row has a case.
    """

    model: str
    fields: tuple[str, ...]
    who: str
    case: str = ""
    client: str = ""
    # When clients start reading the words ("once the plan is signed"); empty: as soon as they are saved.
    when: str = ""

    @property
    def per_case(self) -> bool:
        return bool(self.case)


REGISTRY: tuple[Words, ...] = (
    Words(
        "plans.Goal",
        ("statement", "progress_shows"),
        who="Both partners read this (a shared goal), or only the partner whose own goal it is",
        case="version.plan.case",
        client="client",
        when="once the plan is signed",
    ),
    Words(
        "plans.Assignment",
        ("title", "instructions", "suggested_length", "personal_note"),
        who="Only the client it is assigned to reads this (each alone, when it is for both partners)",
        case="case",
        client="client",
    ),
    Words(
        "appointments.Appointment",
        ("video_link",),
        who="The clients at the appointment read this (both partners at a joint one)",
        case="case",
        client="individual_client",
    ),
    Words(
        "plans.Exercise",
        ("title", "instructions", "suggested_length"),
        who="Every client it is assigned to from now on reads this",
    ),
    Words(
        "plans.ExerciseText",
        ("title", "instructions", "suggested_length"),
        who="Every client who reads this language and is assigned the exercise from now on reads this",
    ),
    Words(
        "intake.ConsentDocument",
        ("title", "body"),
        who="Every client who fills in their forms from now on reads this",
    ),
    Words(
        "assessments.SafetyInfo",
        ("intro", "hotlines"),
        who="Anyone who opens the help page, signed in or not, reads this",
    ),
)

# What a client page shows from the records that is not staff writing to a client, and why it may.
NOT_STAFF_WORDS: dict[str, str] = {
    "accounts.User.username": "the client's own sign-in name, on their account page",
    "accounts.User.email": "the client's own address, on their account page",
    "clients.Client.display_name": "the client's own name, as the practice recorded it",
    "clients.Client.full_name": "the client's own name",
    "clients.Client.preferred_name": "the client's own name",
    "clients.Client.email": "the client's own address, on their contact choices",
    "clients.Client.phone": "the client's own number, on their contact choices",
    "plans.Assignment.language": "a language code (the language of the exercise's words)",
    "plans.CheckIn.text": "the client's own words, shown back to them",
    "intake.Intake.answers": "the client's own answers, shown back to them",
    "intake.Intake.completed": "the names of the parts of the forms the client has done (the app's own)",
    "intake.Intake.signature_name": "the name the client typed",
    "intake.ConsentDocument.language": "a language code",
    "assessments.SessionCheckIn.comment": "the client's own words, shown back to them",
    "releases.ReleaseAuthorization.recipient_label": "who the client named in their own agreement",
}


def entry_for(model, field: str) -> Words | None:
    """The registry's entry for `field` of `model` (a model class, a row or a label), or None."""
    label = model if isinstance(model, str) else model._meta.label
    return next((w for w in REGISTRY if w.model == label and field in w.fields), None)


def declared(label: str, field: str) -> bool:
    """Whether a client page may show `field` of the model labelled `label`: registered, or not staff's words."""
    return entry_for(label, field) is not None or f"{label}.{field}" in NOT_STAFF_WORDS


def _follow(row, path: str):
    for name in path.split("."):
        if row is None:
            return None
        row = getattr(row, name, None)
    return row


def partners_of(row, entry: Words) -> list | None:
    """The clients of the row's case, in the order they joined it; None when the row has no case yet.

    Kept on the case object: an editor asks for each of a plan's goals, which share it.
    """
    case = _follow(row, entry.case) if entry.per_case else None
    if case is None or case.pk is None:
        return None
    if not hasattr(case, "_partners_in_order"):
        case._partners_in_order = list(case.clients.order_by("memberships__id"))
    return case._partners_in_order


def readers(row, field: str, *, partners: list | None = None) -> list | None:
    """The clients who read `field` of `row`, word for word; None for words of the whole practice (or no case yet).

    `partners`, the row's case's clients when the caller has them, saves a query.
    """
    entry = entry_for(row, field)
    if entry is None:
        raise LookupError(f"{row._meta.label}.{field} is not in the registry of words clients read")
    if not entry.per_case or isinstance(row, type):
        return None
    one = _follow(row, entry.client) if entry.client else None
    if one is not None:
        return [one]
    return partners if partners is not None else partners_of(row, entry)


def _names(clients: list) -> str:
    names = [c.display_name for c in clients]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def notice(row, field: str, *, partners: list | None = None) -> str:
    """What an editor says beside a field: who reads it, word for word ("Only Jo reads this, word for word.").

    `row` may be a model class (an editor with no row yet): the notice then says who in general.
    """
    entry = entry_for(row, field)
    if entry is None:
        label = row if isinstance(row, str) else row._meta.label
        raise LookupError(f"{label}.{field} is not in the registry of words clients read")
    when = f", {entry.when}" if entry.when else ""
    who = readers(row, field, partners=partners)
    if not who:
        return f"{entry.who}, word for word{when}."
    if len(who) == 1:
        return f"Only {who[0].display_name} reads this, word for word{when}."
    if len(who) == 2:
        return f"Both partners read this ({_names(who)}), word for word{when}."
    return f"{_names(who)} read this, word for word{when}."


def mark_fields(form, row, *, partners: list | None = None) -> None:
    """Say, first in its help text, who reads each of `form`'s fields that clients read word for word.

    `row` is the record the form edits (a model class when there is none yet); a form field counts when it
    bears the model field's name.
    """
    for name, field in form.fields.items():
        if entry_for(row, name):
            says = notice(row, name, partners=partners)
            field.help_text = f"{says} {field.help_text}" if field.help_text else says


def warnings(row, field: str, text: str | None = None, *, partners: list | None = None) -> list[str]:
    """Why `text` (default: the row's own) may tell one partner about the other, in words; empty when it does not.

    A text speaking of a score, a questionnaire or a flag that names a partner while someone other than that
    partner reads it. A word both partners' names share (a family name) names neither one of them.
    """
    text = getattr(row, field) if text is None else text
    terms = clinical_words(str(text or ""))
    who = readers(row, field, partners=partners) if terms else None
    if not who:
        return []
    entry = entry_for(row, field)
    everyone = partners if partners is not None else partners_of(row, entry) or who
    forms = {c.pk: name_forms(c.full_name, c.preferred_name) for c in everyone}
    shared = set.intersection(*forms.values()) if len(forms) > 1 else set()
    reading = "both partners read it" if len(who) > 1 else f"{who[0].display_name} reads it"
    found = []
    for client in everyone:
        if [c.pk for c in who] == [client.pk]:
            continue  # their own words about their own answers
        if names_in(text, forms[client.pk] - shared):
            found.append(
                f"It names {client.display_name} beside “{terms[0]}”, and {reading}, word for word. "
                f"Say it without naming {client.display_name}, or keep it if you mean it."
            )
    return found


def check() -> list[str]:
    """Problems with the registry itself: a model or a field that does not exist (the tests run it)."""
    problems = []
    for entry in REGISTRY:
        try:
            model = apps.get_model(entry.model)
        except LookupError:
            problems.append(f"{entry.model}: no such model")
            continue
        names = {f.name for f in model._meta.get_fields() if isinstance(f, models.Field)}
        problems += [f"{entry.model}.{name}: no such field" for name in entry.fields if name not in names]
    return problems
