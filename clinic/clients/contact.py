"""How a client may be contacted: the client's own page, a staff edit at their request, and the one way to change it.

The choices live on the Client row and govern every message at once. Each
change raises `Client.contact_version`; a form carries the version it was
opened at, so a second tab (or a staff edit meanwhile) makes a stale form
refuse to save instead of silently undoing the other change.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from clinic.accounts.decorators import reach_required, role_required
from clinic.accounts.models import Role, User
from clinic.accounts.reach import Kind, Level
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import CONTACT_FIELDS, REMINDER_FIELDS, Client, ContactChange, ContactSource, case_and_client
from clinic.lib.forms import BootstrapBoundField
from clinic.lib.http import posted
from clinic.lib.numbers import NotANumber, whole_number

CHANNELS = ("may_email", "may_call", "may_text", "may_leave_voicemail")


class ContactChoicesStale(Exception):
    """The choices changed after the form was opened."""


def change_contact(
    *,
    client: Client,
    wanted: dict,
    by: User,
    source: str,
    request: HttpRequest | None,
    version: int | None = None,
    reason: str = "",
) -> ContactChange | None:
    """Apply `wanted` (some of CONTACT_FIELDS) to the client at once; None if nothing changed.

    With `version`, refuse (ContactChoicesStale) when the choices changed since
    that version was read. Audited; the reason stays on the ContactChange.
    """
    with transaction.atomic():
        locked = Client.objects.select_for_update().get(pk=client.pk)
        if version is not None and locked.contact_version != version:
            raise ContactChoicesStale
        changed = [name for name in CONTACT_FIELDS if name in wanted and getattr(locked, name) != wanted[name]]
        if not changed:
            return None
        for name in changed:
            setattr(locked, name, wanted[name])
        locked.contact_version += 1
        locked.save(update_fields=[*changed, "contact_version"])
        change = ContactChange.objects.create(client=locked, by=by, source=source, reason=reason)
        action = Action.SAFE_CONTACT_CHANGED_BY_STAFF if source == ContactSource.STAFF else Action.SAFE_CONTACT_CHANGED
        # Which ways are open now (options, not content); never the staff reason.
        detail = {name: getattr(locked, name) for name in CHANNELS}
        record(action=action, request=request, actor=by, target=locked, client=locked, detail=detail)
        if source != ContactSource.INTAKE:
            _match_draft_intake(locked)
        if {"email", "phone", "may_email", "may_text", *REMINDER_FIELDS} & set(changed):
            from clinic.appointments.reminders import replan_for_client

            # Reminders of appointments already booked follow the new choice at once.
            replan_for_client(locked)
    for name in (*changed, "contact_version"):
        setattr(client, name, getattr(locked, name))
    return change


def _match_draft_intake(client: Client) -> None:
    """A draft intake shows the choices just made, so that finishing it does not bring the old ones back."""
    from intake.models import Intake

    intake = Intake.objects.select_for_update().filter(client=client, status=Intake.Status.DRAFT).first()
    if intake is None:
        return
    contact = {name: getattr(client, name) for name in CHANNELS}
    contact.update(
        safe_email=client.email,
        safe_phone=client.phone,
        safe_times=client.safe_times,
        reminder_channel=client.reminder_channel,
    )
    intake.answers = {**intake.answers, "contact": contact}
    intake.save(update_fields=["answers"])


class ContactChoicesForm(forms.ModelForm):
    bound_field_class = BootstrapBoundField
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Client
        fields = list(CONTACT_FIELDS)
        labels = {
            "may_email": _("Email"),
            "may_call": _("Phone calls"),
            "may_text": _("Text messages"),
            "may_leave_voicemail": _("Voicemail messages"),
            "email": _("Safe email address"),
            "phone": _("Safe phone number"),
            "safe_times": _("Times when it is safe to contact you"),
            "reminder_channel": _("Reminders of your appointments"),
            "reminder_from": _("Reminders may arrive from"),
            "reminder_until": _("until"),
            "reminder_names_practice": _("Reminders may say the name of the practice and of your therapist"),
        }
        help_texts = {
            "safe_times": _("For example weekdays 9 to 12."),
            "reminder_channel": _("Only by a way you ticked as safe above."),
            "reminder_names_practice": _("If not ticked, a reminder says only “your appointment” and the time."),
        }
        widgets = {
            "reminder_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "reminder_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        error_messages = {
            "email": {"invalid": _("Enter an email address like name@example.com.")},
            "safe_times": {"max_length": _("Please keep this under 200 characters.")},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = str(self.instance.contact_version)
        # Left empty, the reminder times stay as they were.
        for name in ("reminder_from", "reminder_until"):
            self.fields[name].required = False
            self.fields[name].error_messages["invalid"] = _("Enter a time like 09:00.")

    def clean_reminder_from(self):
        return self.cleaned_data["reminder_from"] or self.instance.reminder_from

    def clean_reminder_until(self):
        return self.cleaned_data["reminder_until"] or self.instance.reminder_until

    @property
    def ticks(self) -> list:
        return [self[name] for name in CHANNELS]

    @property
    def details(self) -> list:
        return [self[name] for name in ("email", "phone", "safe_times")]

    @property
    def reminders(self) -> list:
        return [self[name] for name in REMINDER_FIELDS]

    def clean_version(self) -> int:
        try:
            return whole_number(self.cleaned_data["version"], minimum=0)
        except NotANumber:
            raise forms.ValidationError(_("This page is out of date. Reload it and make your change again.")) from None

    def clean_phone(self) -> str:
        from intake.sections import clean_phone

        return clean_phone(self.cleaned_data["phone"])

    def _post_clean(self) -> None:
        # An address or number that could not be read is not also "missing": one message per field.
        unreadable = [name for name in ("email", "phone") if name in self.errors]
        super()._post_clean()
        for name in unreadable:
            del self.errors[name][1:]

    def wanted(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONTACT_FIELDS}


class StaffContactForm(ContactChoicesForm):
    reason = forms.CharField(
        label="Why you are changing it",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example “Asked in session on Tuesday”. Kept with this change only, not in the audit log.",
        error_messages={
            "required": "Say why, for example “asked in session”. Only change what the client asked for.",
            "max_length": "Keep the reason under 500 characters (it has %(show_value)d).",
        },
    )

    class Meta(ContactChoicesForm.Meta):
        labels = {**ContactChoicesForm.Meta.labels, "email": "Email address", "phone": "Phone number"}
        help_texts = {
            **ContactChoicesForm.Meta.help_texts,
            "safe_times": "When the client said it is safe to contact them.",
        }

    @property
    def reason_fields(self) -> list:
        return [self["reason"]]


STALE_MESSAGE = _(
    "These choices were changed somewhere else (another window, or your practice) after this page was opened. "
    "Nothing was saved. What is saved now is shown above the form; your changes are still in the form. "
    "Check them and press Save again."
)


def _save(request: HttpRequest, form: ContactChoicesForm, client: Client, *, source: str, reason: str = ""):
    """Save a valid form; on a stale one, add the error and move the form to the current version."""
    try:
        return change_contact(
            client=client,
            wanted=form.wanted(),
            by=request.user,
            source=source,
            request=request,
            version=form.cleaned_data["version"],
            reason=reason,
        ), True
    except ContactChoicesStale:
        client.refresh_from_db()
        data = form.data.copy()
        data["version"] = str(client.contact_version)
        fresh = type(form)(data, instance=Client.objects.get(pk=client.pk))
        fresh.is_valid()
        fresh.add_error(None, STALE_MESSAGE)
        return fresh, False


@role_required(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def contact_choices(request: HttpRequest) -> HttpResponse:
    """The client's own page: how we may contact them, editable at any time, effective at once."""
    client = get_object_or_404(Client.objects.visible_to(request.user), user=request.user)
    form = ContactChoicesForm(posted(request), instance=Client.objects.get(pk=client.pk))
    stale = False
    if request.method == "POST" and form.is_valid():
        result, saved = _save(request, form, client, source=ContactSource.CLIENT)
        if saved:
            messages.success(request, _("Saved. We will use only these ways from now on.") if result else _("Saved."))
            return redirect("contact_choices")
        form, stale = result, True
    return render(request, "clients/contact_choices.html", {"form": form, "client": client, "stale": stale})


@reach_required(Kind.CLIENT_DETAILS, Level.WRITE)
@require_http_methods(["GET", "POST"])
def client_contact_edit(request: HttpRequest, case_code, client_code) -> HttpResponse:
    """Staff change a client's contact choices because the client asked (in session, by phone); a reason is required."""
    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.CLIENT_DETAILS, level=Level.WRITE)
    form = StaffContactForm(posted(request), instance=Client.objects.get(pk=client.pk))
    stale = False
    if request.method == "POST" and form.is_valid():
        result, saved = _save(request, form, client, source=ContactSource.STAFF, reason=form.cleaned_data["reason"])
        if saved:
            messages.success(request, f"Saved: {client.display_name}'s contact choices apply from now on.")
            return redirect("case_detail", code=case.code)
        form, stale = result, True
    changes = client.contact_changes.select_related("by")[:10]
    context = {
        "case": case,
        "client": client,
        "form": form,
        "stale": stale,
        "changes": changes,
        # The reason may be clinical: the treating therapist reads it, admins see only when and who.
        "show_reasons": request.user.role == Role.THERAPIST,
    }
    return render(request, "clients/contact_edit.html", context)


def change_language(*, client: Client, to: str, request: HttpRequest) -> bool:
    """The language of the client's pages, emails, text messages and documents: changed by the client on their
    account page, or by staff at the client's request. Audited with who, from and to. False if it was already so."""
    with transaction.atomic():
        locked = Client.objects.select_for_update().get(pk=client.pk)
        before = locked.language
        if before == to:
            return False
        locked.language = to
        locked.save(update_fields=["language"])
        record(
            action=Action.CLIENT_LANGUAGE_CHANGED,
            request=request,
            target=locked,
            client=locked,
            detail={"from": before, "to": to},
        )
    client.language = to
    return True


@reach_required(Kind.CLIENT_DETAILS, Level.WRITE)
@require_POST
def client_language_edit(request: HttpRequest, case_code, client_code) -> HttpResponse:
    """Staff change a client's language at the client's request (in session, by phone), from the case page."""
    from clinic.accounts.forms import LanguageForm

    case, client = case_and_client(request.user, case_code, client_code, kind=Kind.CLIENT_DETAILS, level=Level.WRITE)
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the languages listed. Nothing was changed.")
    elif change_language(client=client, to=form.cleaned_data["language"], request=request):
        messages.success(
            request,
            f"Saved: {client.display_name}'s pages, emails, messages and documents are now in {client.language_name}.",
        )
    else:
        messages.info(request, f"{client.display_name} already reads {client.language_name}. Nothing was changed.")
    return redirect("case_detail", code=case.code)


def latest_changes() -> Prefetch:
    """Prefetch for a case page: each client's changes, newest first (`client.contact_history`)."""
    return Prefetch("contact_changes", queryset=ContactChange.objects.select_related("by"), to_attr="contact_history")
