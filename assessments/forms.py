from django import forms
from django.utils import timezone

from assessments.models import SafetyInfo, WarningSign
from clinic.clients import words
from clinic.lib import country
from clinic.lib.widgets import DatePicker


class WarningSignForm(forms.ModelForm):
    class Meta:
        model = WarningSign
        fields = ["type", "observed_on", "severity", "source", "description", "action_taken"]
        labels = {
            "type": "What was observed or reported",
            "observed_on": "Date observed",
            "action_taken": "Action taken",
        }
        widgets = {
            "observed_on": DatePicker(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"severity": "A severe sign raises an urgent risk flag straight away."}
        error_messages = {
            "description": {"required": "Describe what was observed or reported, in a few words."},
            "observed_on": {"invalid": "Enter the date as year-month-day, for example 2026-11-20."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Most signs are recorded the day they are seen: today in the practice's time zone.
        self.fields["observed_on"].initial = timezone.localdate

    def clean_observed_on(self):
        observed = self.cleaned_data["observed_on"]
        if observed > timezone.localdate():
            raise forms.ValidationError("The date observed cannot be in the future.")
        return observed


class FlagNoteForm(forms.Form):
    note = forms.CharField(
        label="Note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Add a short note: what you did or decided."},
    )


class SafetyInfoForm(forms.Form):
    intro = forms.CharField(
        label="Introduction",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write a short, calm introduction."},
    )
    hotlines = forms.CharField(
        label="Services, one per line",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Name | phone number | hours | a short note.",
        error_messages={"required": "List at least one service people can call."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The example is one of the practice's own country's services.
        example = country.current().hotlines[-1]
        self.fields["hotlines"].help_text = (
            f"Name | phone number | hours | a short note. For example: {example['name']} | {example['phone']} "
            "| 24 hours | Free and confidential."
        )
        words.mark_fields(self, SafetyInfo)

    def clean_hotlines(self) -> list[dict]:
        lines = [line.strip() for line in self.cleaned_data["hotlines"].splitlines() if line.strip()]
        result = []
        for number, line in enumerate(lines, start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(f"Line {number} needs at least a name and a phone number, separated by |.")
            parts += [""] * (4 - len(parts))
            result.append(
                {"name": parts[0], "phone": parts[1], "hours": parts[2], "note": " | ".join(parts[3:]).strip(" |")}
            )
        return result

    @staticmethod
    def lines_of(hotlines: list[dict]) -> str:
        return "\n".join(" | ".join([h["name"], h["phone"], h.get("hours", ""), h.get("note", "")]) for h in hotlines)
