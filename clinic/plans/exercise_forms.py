"""Forms of the practice library, of assigning an exercise, and of the client's check-in."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.clients import words
from clinic.clients.models import Case, Client
from clinic.lib.language import base_language
from clinic.lib.language import choices as language_choices
from clinic.lib.language import name_of as language_name
from clinic.lib.widgets import DatePicker
from clinic.plans.models import Assignment, CheckIn, Exercise, ExerciseText, Goal, Tried

BOTH = "both"
# An assignment is for a week or a few; longer than this is a typing slip.
LONGEST_PERIOD = timedelta(days=92)
CHECKIN_TEXT_MAX = CheckIn._meta.get_field("text").max_length


class ExerciseForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = ["title", "practice", "instructions", "suggested_length", "is_active"]
        labels = {
            "practice": "Under which of the four practices",
            "instructions": "Instructions, as the client reads them",
            "suggested_length": "Suggested length",
            "is_active": "Active (therapists can assign it)",
        }
        help_texts = {
            "instructions": "Plain words to one person. Clients may read this on a shared screen: "
            "say what to do, not what it is for in clinical terms.",
            "is_active": "An inactive exercise stays on past assignments but is no longer offered.",
        }
        widgets = {"instructions": forms.Textarea(attrs={"rows": 8})}
        error_messages = {
            "title": {"required": "Give the exercise a short title."},
            "practice": {"required": "Choose the practice this exercise belongs to."},
            "instructions": {"required": "Write the instructions the client will read."},
            "suggested_length": {"required": "Say how long it takes, for example “Ten minutes a day, for a week”."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        words.mark_fields(self, Exercise)

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give the exercise a short title.")
        return title

    def clean_instructions(self) -> str:
        text = self.cleaned_data["instructions"].strip()
        if not text:
            raise forms.ValidationError("Write the instructions the client will read.")
        return text

    def clean_suggested_length(self) -> str:
        return " ".join(self.cleaned_data["suggested_length"].split())


class ExerciseTextForm(forms.Form):
    """The exercise's words in one other language: all three given, or none (clients then read the practice's)."""

    title = forms.CharField(required=False, max_length=200)
    instructions = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    suggested_length = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, language: str, **kwargs) -> None:
        super().__init__(*args, prefix=f"text-{language}", **kwargs)
        self.language = language
        self.language_name = name = language_name(language)
        self.fields["title"].label = f"Title in {name}"
        self.fields["instructions"].label = f"Instructions in {name}, as the client reads them"
        self.fields["suggested_length"].label = f"Suggested length in {name}"
        words.mark_fields(self, ExerciseText)

    def clean(self) -> dict:
        data = super().clean()
        words = {
            "title": " ".join(data.get("title", "").split()),
            "instructions": data.get("instructions", "").strip(),
            "suggested_length": " ".join(data.get("suggested_length", "").split()),
        }
        if any(words.values()):
            for name, value in words.items():
                if not value:
                    self.add_error(
                        name, "Fill in all three, or leave all three empty for clients to read the English words."
                    )
        data.update(words)
        return data

    @property
    def is_empty(self) -> bool:
        return not any(self.cleaned_data[name] for name in ("title", "instructions", "suggested_length"))


def text_forms(data, exercise: Exercise | None) -> list[ExerciseTextForm]:
    """One form per language a client may have besides the practice's own, filled from the exercise's texts."""
    given = {t.language: t for t in exercise.texts.all()} if exercise is not None else {}
    forms_ = []
    for code, _name in language_choices():
        if code == base_language():
            continue
        text = given.get(code)
        initial = (
            {"title": text.title, "instructions": text.instructions, "suggested_length": text.suggested_length}
            if text
            else None
        )
        forms_.append(ExerciseTextForm(data, language=code, initial=initial))
    return forms_


def goal_label(goal: Goal) -> str:
    whose = f"{goal.client.display_name}'s own" if goal.client_id else "Shared"
    return f"{whose} · {goal.get_practice_display()}: {goal.statement[:90]}"


class AssignmentForm(forms.Form):
    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.none(),
        to_field_name="code",
        label="Exercise",
        empty_label="Choose an exercise",
        error_messages={
            "required": "Choose an exercise from the library.",
            "invalid_choice": "Choose one of the active exercises listed.",
        },
    )
    who = forms.ChoiceField(
        label="For whom",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who this is for.", "invalid_choice": "Choose one of the people listed."},
    )
    starts_on = forms.DateField(
        label="From",
        widget=DatePicker(),
        error_messages={"required": "Choose the first day.", "invalid": "Enter a date such as 2026-12-02."},
    )
    ends_on = forms.DateField(
        label="Until (the last day)",
        widget=DatePicker(),
        error_messages={"required": "Choose the last day.", "invalid": "Enter a date such as 2026-12-09."},
    )
    personal_note = forms.CharField(
        label="A few words from you (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    goal = forms.ChoiceField(
        label="Goal of the plan it serves (optional)",
        required=False,
        error_messages={"invalid_choice": "Choose one of the goals of the plan in force."},
    )

    def __init__(self, *args, case: Case, partners: list[Client], goals: list[Goal], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.partners = case, partners
        self.goals = {str(g.code): g for g in goals}
        self.fields["exercise"].queryset = Exercise.objects.filter(is_active=True).order_by("practice", "title")
        self.fields["exercise"].label_from_instance = lambda e: f"{e.get_practice_display()}: {e.title}"
        choices = [(str(p.code), p.display_name) for p in partners]
        if len(partners) == 2:
            choices.append((BOTH, "Both partners (each privately: neither sees the other's)"))
        self.fields["who"].choices = choices
        if len(partners) == 1:
            self.fields["who"].initial = str(partners[0].code)
        self.fields["goal"].choices = [("", "No particular goal")] + [(c, goal_label(g)) for c, g in self.goals.items()]
        # Who reads the note, word for word, from the registry of words clients read (clinic.clients.words).
        words.mark_fields(self, Assignment)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("starts_on", today)
            self.initial.setdefault("ends_on", today + timedelta(days=7))

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends:
            if ends < starts:
                self.add_error("ends_on", "The last day must be on or after the first day.")
            elif ends - starts > LONGEST_PERIOD:
                self.add_error("ends_on", "Choose a period of at most three months; assign it again after that.")
        if starts and starts < timezone.localdate() - timedelta(days=7):
            self.add_error("starts_on", "Choose a first day from last week onwards.")
        who = data.get("who")
        if who:
            data["clients"] = self.partners if who == BOTH else [p for p in self.partners if str(p.code) == who]
        goal = self.goals.get(data.get("goal") or "")
        data["goal"] = goal
        if goal is not None and goal.client_id and who:
            owner = goal.client.display_name
            if who == BOTH:
                self.add_error(
                    "goal", f"That goal is {owner}'s own: assign it to {owner} only, or choose a shared goal."
                )
            elif who != str(goal.client.code):
                self.add_error("goal", f"That goal is {owner}'s own: choose a shared goal, or one of this partner's.")
        return data

    def assignments(self) -> list[Assignment]:
        """What assigning would make (unsaved), one per client chosen, with the words each will read."""
        data = self.cleaned_data
        made = []
        for client in data["clients"]:
            exercise_words = data["exercise"].words_in(client.language)
            made.append(
                Assignment(
                    case=self.case,
                    client=client,
                    title=exercise_words.title,
                    instructions=exercise_words.instructions,
                    suggested_length=exercise_words.suggested_length,
                    language=exercise_words.language,
                    personal_note=data["personal_note"].strip(),
                )
            )
        return made

    def word_warnings(self) -> list[str]:
        """Where the note names a partner beside a score while another reads it (clinic.clients.words)."""
        found = []
        for assignment in self.assignments():
            found += words.warnings(assignment, "personal_note", partners=self.partners)
        return list(dict.fromkeys(found))


class CheckInForm(forms.Form):
    """What the client sends: tried it, a few lines, and the explicit "made things worse" choice."""

    tried = forms.ChoiceField(
        choices=Tried.choices,
        error_messages={
            "required": _("Choose whether you tried it: yes, partly or not yet."),
            "invalid_choice": _("Choose whether you tried it: yes, partly or not yet."),
        },
    )
    text = forms.CharField(
        required=False,
        max_length=CHECKIN_TEXT_MAX,
        strip=False,
        error_messages={"max_length": _("Please shorten your lines a little (at most %(limit_value)d characters).")},
    )
    made_things_worse = forms.BooleanField(required=False)
    version = forms.IntegerField(min_value=1, required=False)
