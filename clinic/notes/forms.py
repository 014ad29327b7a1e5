from collections.abc import Sequence
from datetime import timedelta

from django import forms
from django.utils import timezone

from clinic.lib.fields import AsciiDateTimeField, RecordChoiceField, WholeNumberField
from clinic.lib.numbers import whole_number
from clinic.notes.models import FORMAT_FIELDS, NoteFormat, Practice, PracticeTag, SessionFormat, TherapySession

LONG = 10000


class FormatChoice:
    """Conjoint or individual (with which partner), and the override a conjoint meeting needs while a partner
    has an open urgent flag: one set of rules for a session added after the fact and an appointment booked."""

    noun = "session"

    def set_up_format(self, case, conjoint_paused: bool) -> None:
        self.case = case
        self.fields["individual_client"].queryset = case.clients.all()
        self.fields["individual_client"].required = False
        if case.kind == case.Kind.INDIVIDUAL:
            self.fields["format"].initial = SessionFormat.INDIVIDUAL
        self.conjoint_paused = conjoint_paused
        self.override_reason = ""
        if conjoint_paused:
            # An urgent flag on a partner is not resolved: a conjoint meeting needs a deliberate override.
            self.fields["override"] = forms.BooleanField(
                required=False,
                label=f"Hold this conjoint {self.noun} although conjoint sessions are not advised",
                help_text=f"Individual {self.noun}s need no override.",
            )
            self.fields["override_reason"] = forms.CharField(
                required=False,
                max_length=1000,
                label="Why a conjoint session now",
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=f"Kept with the {self.noun}.",
            )

    def check_format(self, data: dict) -> None:
        fmt, person, case = data.get("format"), data.get("individual_client"), self.case
        if fmt == SessionFormat.INDIVIDUAL and person is None:
            if case.kind == case.Kind.INDIVIDUAL:
                data["individual_client"] = case.clients.first()
            else:
                self.add_error("individual_client", f"Choose which partner this individual {self.noun} is with.")
        if fmt == SessionFormat.CONJOINT:
            if case.kind == case.Kind.INDIVIDUAL:
                self.add_error("format", f"An individual case has individual {self.noun}s only.")
            data["individual_client"] = None
        reason = (data.get("override_reason") or "").strip()
        if self.conjoint_paused and fmt == SessionFormat.CONJOINT and case.kind == case.Kind.COUPLE:
            if not data.get("override"):
                self.add_error(
                    "override",
                    "Conjoint sessions are not advised until the urgent flag is resolved. "
                    f"Choose an individual {self.noun}, or tick this box and give your reason.",
                )
            if not reason:
                self.add_error(
                    "override_reason", f"Say why a conjoint session is right now; it is kept with the {self.noun}."
                )
        else:
            reason = ""
        self.override_reason = reason


class SessionForm(FormatChoice, forms.ModelForm):
    starts_at = AsciiDateTimeField(
        label="Date and start time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": "Enter the date and time, for example 2026-11-20 14:00."},
    )

    class Meta:
        model = TherapySession
        fields = ["starts_at", "duration_minutes", "format", "individual_client", "modality", "attendance"]
        field_classes = {"duration_minutes": WholeNumberField, "individual_client": RecordChoiceField}
        labels = {
            "duration_minutes": "Duration (minutes)",
            "individual_client": "With which partner (individual sessions)",
        }

    def __init__(self, *args, case, conjoint_paused: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.case = case
        self.set_up_format(case, conjoint_paused)

    def clean(self) -> dict:
        data = super().clean()
        self.check_format(data)
        starts = data.get("starts_at")
        if starts and starts > timezone.now() + timedelta(days=365):
            self.add_error("starts_at", "Check the year: that is more than a year ahead.")
        elif starts and starts.year < 2000:
            self.add_error("starts_at", "Check the year: that is long before this practice kept records here.")
        self.instance.conjoint_override_reason = self.override_reason
        return data

    @property
    def overridden(self) -> bool:
        return bool(self.instance.conjoint_override_reason)


class NoteForm(forms.Form):
    """The editor: the fields of the note's format, the safety check, next steps and the four practice tags."""

    format = forms.ChoiceField(choices=NoteFormat.choices, label="Format")
    safety_concern = forms.BooleanField(required=False, label="A safety concern came up this session")
    next_steps = forms.CharField(
        required=False,
        max_length=5000,
        label="Next steps (shown beside the next session's note)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = WholeNumberField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, note_format: str, goals: Sequence = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, label in FORMAT_FIELDS[note_format]:
            self.fields[f"c_{name}"] = forms.CharField(
                label=label,
                required=False,
                max_length=LONG,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"max_length": f"Keep {label} under %(limit_value)d characters."},
            )
        for value, label in Practice.choices:
            self.fields[f"focus_{value}"] = forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=whole_number,
                empty_value=0,
                choices=[("", "Not this session"), *PracticeTag.FOCUS_CHOICES],
            )
            self.fields[f"evidence_{value}"] = forms.CharField(
                label=f"{label}: evidence", required=False, max_length=300
            )
        # The plan's goals the note offers (clinic.plans.progress.goals_for_note): ticked, and how each moved.
        from clinic.plans.models import Movement

        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"goal_{goal.code}"] = forms.BooleanField(
                required=False,
                label="Worked on this session",
                widget=forms.CheckboxInput(attrs={"class": "form-check-input", "data-goal-practice": goal.practice}),
            )
            self.fields[f"movement_{goal.code}"] = forms.ChoiceField(
                required=False,
                label="How it moved",
                choices=[("", "Choose how it moved"), *Movement.choices],
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        self.note_format = note_format

    def goal_groups(self) -> list[dict]:
        """For the template: the goals under their heading (shared, each partner's own, an older version's)."""
        groups: dict[str, list] = {}
        for g in self.goals:
            if g.from_version:
                heading = f"From plan version {g.from_version} (since replaced by a review)"
            else:
                heading = f"{g.owner} goals"
            row = {"goal": g, "ticked": self[f"goal_{g.code}"], "movement": self[f"movement_{g.code}"]}
            groups.setdefault(heading, []).append(row)
        return [{"heading": heading, "rows": rows} for heading, rows in groups.items()]

    def goal_links(self) -> list[tuple]:
        """(goal, movement) of each goal ticked; the movement may still be blank in a draft (signing asks for it)."""
        return [
            (g, self.cleaned_data.get(f"movement_{g.code}") or "")
            for g in self.goals
            if self.cleaned_data.get(f"goal_{g.code}") or self.cleaned_data.get(f"movement_{g.code}")
        ]

    def content(self) -> dict:
        """The text of the fields shown (the note's format before any switch); the model carries it over."""
        return {name: self.cleaned_data.get(f"c_{name}", "") for name, _ in FORMAT_FIELDS[self.note_format]}

    def tags(self) -> list[tuple[str, int, str]]:
        # A focus without evidence yet is kept as typed: a draft may be incomplete; signing asks for the evidence.
        return [
            (value, self.cleaned_data[f"focus_{value}"], self.cleaned_data[f"evidence_{value}"].strip())
            for value, _ in Practice.choices
            if self.cleaned_data.get(f"focus_{value}")
        ]

    @staticmethod
    def initial_for(note, goals: Sequence = ()) -> dict:
        initial = {
            "format": note.format,
            "safety_concern": note.safety_concern,
            "next_steps": note.next_steps,
            "version": note.version,
        }
        initial.update({f"c_{k}": v for k, v in note.content.items()})
        for tag in note.tags.all():
            initial[f"focus_{tag.practice}"] = tag.focus
            initial[f"evidence_{tag.practice}"] = tag.evidence
        for goal in goals:
            if getattr(goal, "link", None) is not None:
                initial[f"goal_{goal.code}"] = True
                initial[f"movement_{goal.code}"] = goal.link.movement
        return initial


class TextForm(forms.Form):
    text = forms.CharField(
        max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Write the text first."}
    )


class PrivateNoteForm(forms.Form):
    text = forms.CharField(
        required=False, max_length=20000, label="Private process notes", widget=forms.Textarea(attrs={"rows": 4})
    )
