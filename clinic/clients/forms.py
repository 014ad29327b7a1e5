from django import forms
from django.utils.functional import lazy

from clinic.accounts.models import User
from clinic.clients.models import Case, Client
from clinic.lib import language
from clinic.lib.fields import RecordChoiceField
from clinic.lib.phones import normalize_phone, phone_help

CLIENT_FIELDS = [
    "full_name",
    "preferred_name",
    "email",
    "phone",
    "may_email",
    "may_call",
    "may_text",
    "may_leave_voicemail",
]
# Always has a value (a choice), so it says nothing about whether a block was filled in.
CLIENT_CHOICE_FIELDS = ["language"]


class TherapistChoiceField(RecordChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class CaseForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of case", choices=Case.Kind.choices, widget=forms.RadioSelect, initial=Case.Kind.COUPLE
    )
    primary_therapist = TherapistChoiceField(
        queryset=User.objects.therapists().order_by("last_name", "first_name"),
        empty_label="Choose a therapist",
        error_messages={"required": "Choose the therapist who will lead this case."},
    )


class ClientForm(forms.ModelForm):
    language = forms.ChoiceField(
        label="Language of their pages, emails and messages",
        choices=language.choices,
        initial=language.base_language,
        required=False,
        help_text="The client can change it in their account. Staff pages stay in English.",
        error_messages={"invalid_choice": "Choose one of the practice's languages."},
    )

    class Meta:
        model = Client
        fields = CLIENT_FIELDS + CLIENT_CHOICE_FIELDS
        labels = {"full_name": "Full name"}
        error_messages = {"full_name": {"required": "Enter the person's full name."}}
        help_texts = {
            "preferred_name": "What they like to be called, if different.",
            "may_email": "Only tick what the client has told you is safe. The client can change this later.",
            "phone": lazy(phone_help, str)(),
        }

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or language.base_language()

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def has_any_input(self) -> bool:
        """Whether the person typed anything into this block (a blank second partner is not an error)."""
        return any(self.data.get(self.add_prefix(name)) for name in CLIENT_FIELDS)


class ReassignForm(forms.Form):
    primary_therapist = TherapistChoiceField(
        label="Change to",
        queryset=User.objects.therapists().order_by("last_name", "first_name"),
        error_messages={"required": "Choose a therapist."},
    )


def case_forms_valid(form: CaseForm, first: ClientForm, second: ClientForm) -> bool:
    """Validate a case form and its people: a couple needs both; an individual must leave the second blank."""
    valid = form.is_valid() & first.is_valid()
    kind = form.cleaned_data.get("kind")
    if kind == Case.Kind.COUPLE:
        valid &= second.is_valid()
    elif second.has_any_input():
        form.add_error(
            None,
            "You chose an individual case but filled in details for a second person. "
            "Clear the second person's details, or choose Couple.",
        )
        valid = False
    return valid


def case_people(form: CaseForm, first: ClientForm, second: ClientForm) -> list[dict]:
    """The client records to create, from valid forms."""
    couple = form.cleaned_data["kind"] == Case.Kind.COUPLE
    return [first.cleaned_data] + ([second.cleaned_data] if couple else [])
