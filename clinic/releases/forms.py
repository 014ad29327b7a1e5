import unicodedata
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.lib.widgets import DatePicker
from clinic.releases import passages
from clinic.releases.models import MAX_VALIDITY, RecipientKind, scope_of


def _same_name(typed: str, name: str) -> bool:
    def norm(value: str) -> str:
        return " ".join(unicodedata.normalize("NFC", value).split()).casefold()

    return bool(norm(typed)) and norm(typed) == norm(name)


class AuthorizationFields(forms.Form):
    """What every authorization says: to whom, what, until when."""

    recipient_kind = forms.ChoiceField(
        label=_("Who may receive it"),
        widget=forms.RadioSelect(),
        error_messages={"required": _("Choose who may receive it.")},
    )
    third_party_name = forms.CharField(label=_("Their name"), required=False, max_length=200)
    third_party_organisation = forms.CharField(
        label=_("Their organisation, or how they relate to you"),
        required=False,
        max_length=200,
        widget=forms.TextInput(),
    )
    conjoint_notes = forms.BooleanField(label=_("Notes of joint sessions"), required=False)
    shared_material = forms.BooleanField(
        label=_("The couple's shared treatment material"), required=False, widget=forms.CheckboxInput()
    )
    expires_on = forms.DateField(
        label=_("Until (the last day it applies)"),
        widget=DatePicker(),
        error_messages={
            "required": _("Choose the last day it applies."),
            "invalid": _("Enter a date such as 2027-06-30."),
        },
    )

    partner_label = _("The other partner")

    def __init__(self, *args, partner=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        partner_label = f"{partner.display_name}, {self.partner_label}" if partner else str(self.partner_label)
        self.fields["recipient_kind"].choices = [
            (RecipientKind.PARTNER, partner_label),
            (RecipientKind.THIRD_PARTY, _("Someone else (a named person or organisation)")),
        ]
        if not self.is_bound and "expires_on" not in self.initial:
            self.initial["expires_on"] = timezone.localdate() + timedelta(days=180)

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("conjoint_notes") or data.get("shared_material")):
            self.add_error("conjoint_notes", _("Tick at least one of the two."))
        else:
            data["scope"] = scope_of(conjoint_notes=data["conjoint_notes"], shared_material=data["shared_material"])
        if data.get("recipient_kind") == RecipientKind.THIRD_PARTY:
            if not data.get("third_party_name", "").strip():
                self.add_error("third_party_name", _("Write the name of the person or organisation."))
        else:
            data["third_party_name"] = data["third_party_organisation"] = ""
        signed_on, expires_on = self.signed_on_value(data), data.get("expires_on")
        today = timezone.localdate()
        if expires_on and signed_on:
            if expires_on <= today:
                self.add_error("expires_on", _("Choose a day after today."))
            elif expires_on > signed_on + MAX_VALIDITY:
                latest = signed_on + MAX_VALIDITY
                self.add_error(
                    "expires_on",
                    _("It can run for at most a year from signing: %(latest)s at the latest.")
                    % {"latest": f"{latest:%Y-%m-%d}"},
                )
        return data

    def signed_on_value(self, data):
        """The day it is signed: today when the client signs online."""
        return timezone.localdate()


class PortalAuthorizationForm(AuthorizationFields):
    """Signed by the client, typing their full name as for the consent."""

    partner_label = _("the other person in your joint sessions")

    signature = forms.CharField(
        label=_("Type your full name as your signature"),
        max_length=200,
        widget=forms.TextInput(),
        error_messages={"required": _("Type your full name to sign.")},
    )

    def __init__(self, *args, legal_name: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.legal_name = legal_name

    def clean_signature(self) -> str:
        signature = " ".join(self.cleaned_data["signature"].split())
        if not _same_name(signature, self.legal_name):
            raise forms.ValidationError(
                _(
                    "Type your full name exactly as your practice has it (%(name)s). "
                    "If it is wrong, ask your practice to correct it."
                )
                % {"name": self.legal_name}
            )
        return signature


class PaperAuthorizationForm(AuthorizationFields):
    """Recorded by staff from a signed paper form."""

    signed_on = forms.DateField(
        label="Date on the signed form",
        widget=DatePicker(),
        error_messages={"required": "Enter the date the client signed the form."},
    )
    have_paper = forms.BooleanField(
        label="I have the form signed by the client and it will be filed with the record",
        error_messages={"required": "Record it only from a form the client signed."},
    )
    field_order = [
        "recipient_kind",
        "third_party_name",
        "third_party_organisation",
        "conjoint_notes",
        "shared_material",
        "signed_on",
        "expires_on",
        "have_paper",
    ]

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date on the form cannot be in the future.")
        return value

    def signed_on_value(self, data):
        return data.get("signed_on")


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StaffRevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why, and how the client asked (for example: by phone on 3 March)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why, and how the client asked for it."},
    )


OCCURRENCES = [("", "It appears once"), ("0", "Every time it appears")] + [
    (str(n), f"Appearance number {n}") for n in range(1, 51)
]


class RedactionForm(forms.Form):
    part = forms.ChoiceField(label="Where", error_messages={"required": "Choose the note or section."})
    passage = forms.CharField(
        label="The exact passage to redact",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Copy it from the preview. Spacing, line breaks and invisible characters do not matter; capitals do.",
        error_messages={"required": "Paste or type the passage to redact."},
    )
    occurrence = forms.ChoiceField(
        label="If it appears more than once",
        choices=OCCURRENCES,
        required=False,
        help_text="Counted from the start of the text chosen above.",
    )
    reason = forms.CharField(
        label="Reason for the redaction",
        max_length=500,
        error_messages={"required": "Give the reason: it is kept with the release."},
    )

    def __init__(self, *args, contents=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contents = contents
        self.fields["part"].choices = [("", "Choose the note or section")] + [
            (key, f"{part.section}: {part.label}") for key, part in contents.parts.items()
        ]

    def clean(self) -> dict:
        data = super().clean()
        part, passage = data.get("part"), data.get("passage")
        if not part or not passage:
            return data
        found = len(passages.find(self.contents.parts[part].original, passage))
        occurrence = data.get("occurrence") or ""
        if found == 0:
            self.add_error("passage", "That passage is not in the text you chose. Copy it exactly from the preview.")
        elif occurrence == "" and found > 1:
            self.add_error(
                "occurrence", f"The passage appears {found} times in that text: choose which one, or every time."
            )
        elif occurrence not in ("", "0") and int(occurrence) > found:
            self.add_error("occurrence", f"The passage appears only {found} time{'s' if found > 1 else ''} there.")
        data["occurrence"] = 1 if occurrence == "" else int(occurrence)
        return data


class WithholdForm(forms.Form):
    """A structured value (a questionnaire's answers and scores, ratings, a flag's reasons) left out whole."""

    # Beside the redaction form on one page: its own field ids.
    prefix = "withhold"

    item = forms.ChoiceField(label="What to withhold", error_messages={"required": "Choose the item to withhold."})
    reason = forms.CharField(
        label="Reason for withholding it",
        max_length=500,
        error_messages={"required": "Give the reason: it is kept with the release."},
    )

    def __init__(self, *args, contents=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "Choose the item")] + [
            (key, f"{item.section}: {item.label}") for key, item in contents.items.items() if not item.withheld
        ]
        self.fields["item"].error_messages["invalid_choice"] = (
            "That item is not in this release, or it is already withheld. Choose one from the list."
        )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason: it is kept with the release.")
        return reason
