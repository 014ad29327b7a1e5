"""The intake, section by section: one form each, shown one page at a time.

Answers are stored as typed (see Intake.answers); these forms decide when a
section is complete and say, in plain words, what still needs doing.
"""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clinic.lib.forms import BootstrapBoundField
from clinic.lib.phones import normalize_phone, phone_help
from clinic.lib.widgets import DatePicker

LONG_TEXT = 5000


def textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def long_text(label, *, required: bool = False, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=LONG_TEXT,
        help_text=help_text,
        widget=textarea(),
        error_messages={
            "max_length": _("Please keep this under %(limit_value)d characters (it has %(show_value)d)."),
            "required": _("Please write a few words here."),
        },
    )


def clean_phone(value: str) -> str:
    """Checked and written the way of the practice's country (clinic.lib.phones)."""
    return normalize_phone(value)


# The example follows the practice's country, so it is read when the form is drawn.
PHONE_HELP = lazy(phone_help, str)()


class SectionForm(forms.Form):
    bound_field_class = BootstrapBoundField
    required_css_class = "required"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
                field.error_messages.setdefault("max_length", _("Please keep this under %(limit_value)d characters."))


class AboutYouForm(SectionForm):
    legal_name = forms.CharField(
        label=_("Full legal name"),
        max_length=200,
        error_messages={"required": _("Enter your full name as it appears on official documents.")},
        widget=forms.TextInput(),
    )
    preferred_name = forms.CharField(label=_("Name you like to be called"), max_length=100, required=False)
    pronouns = forms.CharField(
        label=_("Pronouns"), max_length=50, required=False, help_text=_("For example she/her, they/them.")
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        help_text=_("For example 1988-03-27."),
        widget=DatePicker(),
        error_messages={
            "required": _("Enter your date of birth."),
            "invalid": _("Enter your date of birth as year-month-day, for example 1988-03-27."),
        },
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(),
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=25,
        help_text=PHONE_HELP,
        widget=forms.TextInput(),
    )

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError(_("Your date of birth cannot be in the future. Check the year."))
        if born.year < today.year - 120:
            raise forms.ValidationError(_("Check the year of your date of birth."))
        return born

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])


class SafeContactForm(SectionForm):
    may_email = forms.BooleanField(label=_("Email"), required=False)
    may_call = forms.BooleanField(label=_("Phone calls"), required=False)
    may_text = forms.BooleanField(label=_("Text messages"), required=False)
    may_leave_voicemail = forms.BooleanField(label=_("Voicemail messages"), required=False)
    safe_email = forms.EmailField(
        label=_("Safe email address"),
        required=False,
        max_length=254,
        help_text=_("Leave empty to use the address you gave before."),
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
    )
    safe_phone = forms.CharField(
        label=_("Safe phone number"),
        required=False,
        max_length=25,
        help_text=format_lazy(_("Leave empty to use the number you gave before. {}"), PHONE_HELP),
    )
    safe_times = forms.CharField(
        label=_("Times when it is safe to contact you"),
        required=False,
        max_length=200,
        help_text=_("For example weekdays 9 to 12."),
    )
    reminder_channel = forms.ChoiceField(
        label=_("Reminders of your appointments"),
        required=False,
        choices=[("", _("No reminders")), ("email", _("By email")), ("text", _("By text message"))],
        help_text=_("Only by a way you ticked above. They say only “your appointment” and the time."),
    )

    CHANNELS = ("may_email", "may_call", "may_text", "may_leave_voicemail")

    def __init__(self, *args, known_email: str = "", known_phone: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.known_email, self.known_phone = known_email, known_phone

    @property
    def ticks(self) -> list:
        """The ways of contact, shown together as one group of ticks."""
        return [self[name] for name in self.CHANNELS]

    @property
    def details(self) -> list:
        return [field for field in self if field.name not in self.CHANNELS]

    def clean_safe_phone(self) -> str:
        return clean_phone(self.cleaned_data["safe_phone"])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("may_email") and not (data.get("safe_email") or self.known_email):
            self.add_error("safe_email", _("Add an email address that is safe to use, or untick Email."))
        phone_ways = data.get("may_call") or data.get("may_text") or data.get("may_leave_voicemail")
        if phone_ways and not (data.get("safe_phone") or self.known_phone):
            self.add_error(
                "safe_phone", _("Add a phone number that is safe to use, or untick calls, texts and voicemail.")
            )
        way = data.get("reminder_channel")
        if way == "email" and not data.get("may_email"):
            self.add_error("reminder_channel", _("Reminders by email need Email to be ticked above."))
        elif way == "text" and not data.get("may_text"):
            self.add_error("reminder_channel", _("Reminders by text message need Text messages to be ticked above."))
        return data


class EmergencyContactForm(SectionForm):
    name = forms.CharField(label=_("Their name"), max_length=200, error_messages={"required": _("Enter their name.")})
    relationship = forms.CharField(
        label=_("How you know them"),
        max_length=100,
        help_text=_("For example friend, sister."),
        error_messages={"required": _("Say how you know them, for example friend.")},
    )
    phone = forms.CharField(
        label=_("Their phone number"),
        max_length=25,
        help_text=PHONE_HELP,
        error_messages={"required": _("Enter their phone number.")},
    )
    knows_about_care = forms.BooleanField(label=_("They know I am in contact with this practice"), required=False)

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])


YES_NO = [("", _("Choose…")), ("yes", _("Yes")), ("no", _("No"))]


class ReasonsForm(SectionForm):
    reasons = long_text(_("What brings you here now?"), required=True)
    goals = long_text(_("What would you like to be different?"))
    previous_therapy = forms.ChoiceField(
        label=_("Have you had counselling or therapy before?"),
        choices=YES_NO,
        required=False,
    )
    previous_details = long_text(_("If so, what was helpful or unhelpful?"))


class RelationshipForm(SectionForm):
    WHO = [
        ("", _("Choose…")),
        ("me", _("I did")),
        ("partner", _("My partner did")),
        ("both", _("We both did")),
        ("other", _("Someone else did")),
    ]
    LIVING = [
        ("", _("Choose…")),
        ("together", _("Together")),
        ("apart", _("Apart")),
        ("sometimes", _("Some of the time")),
    ]
    length = forms.CharField(label=_("How long have you been together?"), max_length=100, required=False)
    living = forms.ChoiceField(label=_("Do you live together?"), choices=LIVING, required=False)
    children = long_text(_("Children (yours, your partner's, or shared), and their ages"))
    who_suggested = forms.ChoiceField(label=_("Who suggested coming here?"), choices=WHO, required=False)
    decisions = long_text(_("How are decisions made at home?"), help_text=_("For example about money, time, friends."))


class HealthForm(SectionForm):
    current_care = long_text(_("Are you seeing anyone else for your health or wellbeing?"))
    medication = long_text(_("Any medication you take"))
    difficult_experiences = long_text(
        _("Anything from the past you would like your therapist to know (optional)"),
        help_text=_("Share only what you are comfortable sharing. You can also talk about it in person."),
    )


class ConsentForm(SectionForm):
    agree = forms.BooleanField(
        label=_("I have read both texts above and agree to take part"),
        error_messages={"required": _("Tick the box to say you have read and agree to the texts.")},
    )
    signature = forms.CharField(
        label=_("Type your full name as your signature"),
        max_length=200,
        error_messages={"required": _("Type your full name to sign.")},
    )

    def __init__(self, *args, legal_name: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.legal_name = legal_name

    def clean_signature(self) -> str:
        signature = " ".join(self.cleaned_data["signature"].split())
        if self.legal_name and signature.casefold() != " ".join(self.legal_name.split()).casefold():
            raise forms.ValidationError(
                gettext("Type your full name exactly as in “About you” (%(name)s), or change it there.")
                % {"name": self.legal_name}
            )
        return signature


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    form_class: type[SectionForm]
    intro: str = ""


SECTIONS: list[Section] = [
    Section("about", _("About you"), AboutYouForm),
    Section(
        "contact",
        _("How we may contact you"),
        SafeContactForm,
        _(
            "Tick only the ways that are safe for you: where nobody else reads your messages or answers your phone. "
            "We will use only these. You can change them at any time."
        ),
    ),
    Section(
        "emergency",
        _("Emergency contact"),
        EmergencyContactForm,
        _("Someone we may call if we are worried about your safety."),
    ),
    Section("reasons", _("What brings you"), ReasonsForm),
    Section("relationship", _("Your relationship"), RelationshipForm),
    Section("health", _("Health and history"), HealthForm),
    Section("consent", _("Agreement"), ConsentForm),
]

BY_SLUG = {section.slug: section for section in SECTIONS}


def step_of(slug: str) -> int:
    return next(i for i, section in enumerate(SECTIONS, start=1) if section.slug == slug)
