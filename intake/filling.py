"""Filling in the intake: start it, save a section as typed, apply safe-contact choices, submit once."""

from datetime import date

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext

from assessments.screenings import assign_initial
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.contact import change_contact
from clinic.clients.models import Client, ContactSource
from clinic.lib import language
from clinic.lib.dates import show
from clinic.lib.http import storable
from clinic.lib.phones import display_phone
from intake.models import ConsentDocument, Intake
from intake.sections import SECTIONS, ConsentForm, SafeContactForm, Section

# A single answer longer than this is refused rather than stored (forms allow far less).
MAX_RAW_LENGTH = 20_000


class AnswerTooLong(ValueError):
    pass


def intake_for(client: Client, *, request: HttpRequest) -> Intake:
    """The client's one intake, started on first use (no query when the client came with select_related("intake"))."""
    try:
        return client.intake
    except Intake.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            intake = Intake.objects.create(client=client)
    except IntegrityError:
        # Another tab started it at the same moment.
        return Intake.objects.get(client=client)
    record(action=Action.INTAKE_STARTED, request=request, target=intake, client=client)
    return intake


def raw_values(section: Section, data: QueryDict) -> dict:
    """The section's fields exactly as typed; ticks as booleans."""
    values = {}
    for name, field in section.form_class.base_fields.items():
        if isinstance(field, forms.BooleanField):
            values[name] = data.get(name) in ("on", "true", "1")
            continue
        value = storable(data.get(name, ""))
        if len(value) > MAX_RAW_LENGTH:
            raise AnswerTooLong(name)
        values[name] = value
    return values


def as_form_data(values: dict) -> dict:
    """Stored values in the shape a bound form expects (ticks as "on", unticked left out)."""
    return {k: ("on" if v is True else v) for k, v in values.items() if v is not False}


def form_kwargs(section: Section, intake: Intake) -> dict:
    about = intake.section_answers("about")
    if section.form_class is SafeContactForm:
        return {
            "known_email": about.get("email", "") or intake.client.email,
            "known_phone": about.get("phone", "") or intake.client.phone,
        }
    if section.form_class is ConsentForm:
        return {"legal_name": about.get("legal_name", "")}
    return {}


def section_form(section: Section, intake: Intake, data: QueryDict | dict | None = None):
    kwargs = form_kwargs(section, intake)
    if data is not None:
        return section.form_class(data, **kwargs)
    return section.form_class(initial=intake.section_answers(section.slug), **kwargs)


def save_section(*, intake: Intake, section: Section, data: QueryDict, request: HttpRequest):
    """Store what was typed (always), then validate; returns the bound form."""
    values = raw_values(section, data)
    form = section.form_class(as_form_data(values), **form_kwargs(section, intake))
    complete = form.is_valid()
    intake.save_section(section.slug, values, complete=complete)
    if section.form_class is SafeContactForm and complete:
        apply_safe_contact(intake=intake, cleaned=form.cleaned_data, request=request)
    return form


def apply_safe_contact(*, intake: Intake, cleaned: dict, request: HttpRequest) -> None:
    """The client's own choices govern every message from now on, as soon as they are saved."""
    client = intake.client
    about = intake.section_answers("about")
    wanted = {name: bool(cleaned.get(name)) for name in SafeContactForm.CHANNELS}
    wanted["email"] = cleaned.get("safe_email") or client.email or about.get("email", "")
    wanted["phone"] = cleaned.get("safe_phone") or client.phone or about.get("phone", "")
    wanted["safe_times"] = cleaned.get("safe_times", "")
    wanted["reminder_channel"] = cleaned.get("reminder_channel", "")
    change_contact(client=client, wanted=wanted, by=request.user, source=ContactSource.INTAKE, request=request)


def incomplete_sections(intake: Intake) -> list[Section]:
    """Sections (before the agreement) whose stored answers do not pass validation."""
    missing = []
    for section in SECTIONS[:-1]:
        form = section_form(section, intake, as_form_data(intake.section_answers(section.slug)))
        if not form.is_valid():
            missing.append(section)
    return missing


def submit_intake(*, intake: Intake, signature: str, request: HttpRequest) -> bool:
    """Submit once; a repeat (double click, retry, second tab) changes nothing and returns False."""
    # The texts of the language the client read them in.
    reading = language.current()
    consent = ConsentDocument.objects.current(ConsentDocument.Kind.INFORMED_CONSENT, reading)
    privacy = ConsentDocument.objects.current(ConsentDocument.Kind.PRIVACY_NOTICE, reading)
    submitted = intake.submit(consent=consent, privacy=privacy, signature=signature)
    if submitted:
        # Next come the questionnaires.
        assign_initial(client=intake.client, request=request)
        record(
            action=Action.INTAKE_SUBMITTED,
            request=request,
            target=intake,
            client=intake.client,
            detail={"consent_version": consent.version, "privacy_version": privacy.version, "language": reading},
        )
    return submitted


def display_answers(intake: Intake) -> list[dict]:
    """Each section with its questions and answers as text, for read-only pages.

    The agreement is shown by its signature line instead (who signed which versions, when).
    """
    result = []
    for section in SECTIONS[:-1]:
        values = intake.section_answers(section.slug)
        rows = []
        for name, field in section.form_class.base_fields.items():
            value = values.get(name, "")
            if isinstance(value, bool):
                shown = gettext("Yes") if value else gettext("No")
            elif getattr(field, "choices", None) and value:
                shown = dict(field.choices).get(value, value)
            elif name.endswith("phone") and value:
                # Kept as typed; read back in the practice's format.
                shown = display_phone(value)
            elif isinstance(field, forms.DateField) and value:
                # Stored as typed (ISO from the date picker); shown as the practice's country writes dates.
                try:
                    shown = show(date.fromisoformat(value), "DATE_FORMAT")
                except (TypeError, ValueError):
                    shown = value
            else:
                shown = value
            rows.append({"label": field.label, "value": shown})
        result.append({"section": section, "rows": rows})
    return result
