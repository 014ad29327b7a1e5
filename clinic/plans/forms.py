"""The treatment plan editor: the plan's own fields, and one small form per goal."""

from django import forms
from django.utils import timezone

from clinic.clients import words
from clinic.lib.fields import WholeNumberField
from clinic.lib.widgets import DatePicker
from clinic.plans.models import Goal, PlanVersion, Progress, TargetDirection

DATE_ERROR = "Enter the date as month/day/year, or pick one from the calendar."


def measure_choices() -> list[tuple[str, str]]:
    """Questionnaire domains a goal can be measured by ("power:money"), from the instruments registry.

    Only instruments that score each domain 0-100 (the screeners); the safety screen's rules give levels,
    not domain scores. The latest version of each instrument names the domains.
    """
    from assessments.catalogue import registry

    latest = {}
    for instrument in registry:
        if not instrument.has_safety_rules:
            latest[instrument.key] = instrument
    return [
        (f"{instrument.key}:{domain.key}", f"{domain.title} ({instrument.title})")
        for instrument in latest.values()
        for domain in instrument.domains
    ]


def measure_label(goal: Goal) -> str:
    """A goal's questionnaire target in words: "Money and resources (…) below 50"."""
    if not goal.measure_domain:
        return ""
    names = dict(measure_choices())
    name = names.get(f"{goal.measure_instrument}:{goal.measure_domain}", goal.measure_domain)
    return f"{name} {goal.get_measure_direction_display()} {goal.measure_target}"


def text_field(label: str, *, limit: int, rows: int, what: str, help_text: str = "") -> forms.CharField:
    """An optional text area of at most `limit` characters; too long says "Keep <what> under N characters"."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}),
        error_messages={"max_length": f"Keep {what} under %(limit_value)d characters."},
    )


class PlanForm(forms.Form):
    """The version's own fields. `revision` is the draft the page was built on (optimistic locking)."""

    revision = WholeNumberField(widget=forms.HiddenInput, min_value=1)
    concerns = text_field(
        "Concerns, in the clients' own words",
        limit=10000,
        rows=5,
        what="the concerns",
        help_text="Prefilled from each client's intake (“what brings you”); edit as you need.",
    )
    safety_individual_first = forms.BooleanField(required=False, label="Individual sessions first")
    safety_conjoint_paused = forms.BooleanField(required=False, label="Joint work paused until reviewed")
    safety_planning = text_field("Safety planning", limit=5000, rows=4, what="the safety planning")
    review_summary = text_field("Review summary", limit=5000, rows=4, what="the review summary")
    ask_acknowledgement = forms.BooleanField(
        required=False, label="Ask the clients to acknowledge this plan in their portal"
    )

    def __init__(self, *args, version: PlanVersion, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not version.is_review:
            del self.fields["review_summary"]

    @staticmethod
    def initial_for(version: PlanVersion) -> dict:
        names = [
            "revision",
            "concerns",
            "safety_individual_first",
            "safety_conjoint_paused",
            "safety_planning",
            "review_summary",
            "ask_acknowledgement",
        ]
        return {name: getattr(version, name) for name in names}


class GoalForm(forms.Form):
    """One goal of a draft. Prefixed by the goal's code, so a page holds many."""

    statement = text_field("Goal", limit=500, rows=2, what="the goal")
    progress_shows = text_field("How progress will show", limit=2000, rows=2, what="this")
    measure = forms.ChoiceField(label="Questionnaire domain (optional)", required=False)
    direction = forms.ChoiceField(
        label="Score should be", required=False, choices=[("", "—"), *TargetDirection.choices]
    )
    target = WholeNumberField(
        label="Target score (0 to 100)",
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "inputmode": "numeric"}),
        error_messages={
            "min_value": "The target is a score from 0 to 100.",
            "max_value": "The target is a score from 0 to 100.",
        },
    )
    target_date = forms.DateField(
        label="Target date", required=False, widget=DatePicker(), error_messages={"invalid": DATE_ERROR}
    )
    progress = forms.ChoiceField(
        label="Progress since the last version", required=False, choices=[("", "Not marked yet"), *Progress.choices]
    )
    progress_evidence = forms.CharField(
        label="Evidence (a line)",
        required=False,
        max_length=500,
        error_messages={"max_length": "Keep the evidence under %(limit_value)d characters."},
    )

    # The measure is saved whole or not at all (the database requires all four parts together).
    MEASURE = ("measure", "direction", "target")

    def __init__(self, *args, goal: Goal, **kwargs) -> None:
        kwargs.setdefault("prefix", f"goal-{goal.code}")
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.fields["measure"].choices = [("", "None"), *measure_choices()]
        if not goal.carried_over:
            del self.fields["progress"]
            del self.fields["progress_evidence"]
        # Words clients read as typed say who reads them (clinic.clients.words).
        words.mark_fields(self, goal)

    @staticmethod
    def initial_for(goal: Goal) -> dict:
        measure = f"{goal.measure_instrument}:{goal.measure_domain}" if goal.measure_domain else ""
        return {
            "statement": goal.statement,
            "progress_shows": goal.progress_shows,
            "measure": measure,
            "direction": goal.measure_direction,
            "target": goal.measure_target,
            "target_date": goal.target_date,
            "progress": goal.progress,
            "progress_evidence": goal.progress_evidence,
        }

    def clean_target_date(self):
        value = self.cleaned_data.get("target_date")
        if value and not (2000 <= value.year <= timezone.localdate().year + 10):
            raise forms.ValidationError("Check the year of the target date.")
        return value

    def clean(self) -> dict:
        data = super().clean()
        measure, direction, target = data.get("measure"), data.get("direction"), data.get("target")
        if any(name in self.errors for name in self.MEASURE):
            return data
        if measure:
            if not direction:
                self.add_error("direction", "Choose whether the score should go below or above the target.")
            if target is None:
                self.add_error("target", "Give the target score, from 0 to 100.")
        elif direction or target is not None:
            self.add_error("measure", "Choose the questionnaire domain the target is for, or clear the target.")
        return data

    def changes(self) -> dict:
        """The goal's fields that are valid, as model values (an invalid field keeps what was stored)."""
        data, errors = self.cleaned_data, self.errors
        values = {
            name: data[name].strip() if name != "progress" else data[name]
            for name in ("statement", "progress_shows", "progress", "progress_evidence")
            if name in self.fields and name not in errors and name in data
        }
        if "target_date" not in errors:
            values["target_date"] = data.get("target_date")
        if not any(name in errors for name in self.MEASURE):
            instrument, _, domain = (data.get("measure") or "").partition(":")
            values.update(
                measure_instrument=instrument if domain else "",
                measure_domain=domain,
                measure_direction=(data.get("direction") or "") if domain else "",
                measure_target=data.get("target") if domain else None,
            )
        return values
