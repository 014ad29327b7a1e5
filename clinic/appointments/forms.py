from datetime import timedelta

from django import forms
from django.utils import timezone

from clinic.appointments.booking import MAX_OCCURRENCES, Booking
from clinic.appointments.models import Appointment, AppointmentStatus, WorkingHours
from clinic.clients import words
from clinic.lib.fields import AsciiDateTimeField, RecordChoiceField, WholeNumberField
from clinic.lib.forms import BootstrapBoundField
from clinic.notes.forms import FormatChoice
from clinic.notes.models import Modality, SessionFormat

WHEN_FIELD = {
    "label": "Date and start time",
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    "error_messages": {
        "required": "Enter the date and time.",
        "invalid": "Enter the date and time, for example 2026-12-10 14:00.",
    },
}
MINUTES_FIELD = {
    "label": "Length (minutes)",
    "min_value": 5,
    "max_value": 480,
    "error_messages": {
        "required": "Enter the length in minutes.",
        "invalid": "Enter the length as a whole number of minutes, for example 50.",
        "min_value": "An appointment is at least 5 minutes.",
        "max_value": "An appointment is at most 480 minutes (8 hours).",
    },
}
OUTSIDE_HOURS_LABEL = "Book outside working hours"


class VideoLinkField(forms.URLField):
    """A telehealth link: a whole https:// address (a plain http:// one would let others listen in)."""

    def __init__(self, **kwargs) -> None:
        kwargs = {
            "required": False,
            "max_length": 500,
            "label": "Video link (telehealth)",
            "assume_scheme": "https",
            "error_messages": {"invalid": "Enter the whole video link, starting with https://."},
            **kwargs,
        }
        super().__init__(**kwargs)

    def validate(self, value) -> None:
        super().validate(value)
        if value and not value.lower().startswith("https://"):
            raise forms.ValidationError("Use a secure video link that starts with https://.")


class BookingForm(FormatChoice, forms.Form):
    bound_field_class = BootstrapBoundField
    noun = "appointment"

    starts_at = AsciiDateTimeField(**WHEN_FIELD)
    minutes = WholeNumberField(initial=50, **MINUTES_FIELD)
    format = forms.ChoiceField(choices=SessionFormat.choices, initial=SessionFormat.CONJOINT)
    individual_client = RecordChoiceField(
        queryset=None, required=False, label="With which partner (individual appointments)"
    )
    modality = forms.ChoiceField(choices=Modality.choices, initial=Modality.IN_PERSON, label="In person or by video")
    video_link = VideoLinkField()
    repeat = forms.TypedChoiceField(
        choices=[(0, "Only once"), (1, "Every week"), (2, "Every two weeks")],
        coerce=int,
        initial=0,
        label="Repeat",
    )
    count = WholeNumberField(
        required=False,
        min_value=2,
        max_value=MAX_OCCURRENCES,
        initial=10,
        label="How many appointments in all (when repeating)",
        error_messages={
            "min_value": "A series has at least 2 appointments.",
            "max_value": f"A series has at most {MAX_OCCURRENCES} appointments; book another series after it.",
            "invalid": "Enter how many appointments as a whole number.",
        },
    )
    outside_hours = forms.BooleanField(required=False, label=OUTSIDE_HOURS_LABEL)

    def __init__(self, *args, case, conjoint_paused: bool = False, may_override: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the treating therapist may hold a conjoint meeting while a partner's urgent flag is open.
        self.conjoint_refused = conjoint_paused and not may_override
        self.set_up_format(case, conjoint_paused and may_override)
        words.mark_fields(self, Appointment)

    def clean(self) -> dict:
        data = super().clean()
        self.check_format(data)
        if self.conjoint_refused and data.get("format") == SessionFormat.CONJOINT:
            self.add_error(
                "format",
                "Book individual appointments only for this case just now. "
                "Its therapist can book a joint one, with their reason.",
            )
        starts = data.get("starts_at")
        if starts and starts < timezone.now() - timedelta(minutes=5):
            self.add_error("starts_at", "That time has passed. To record a meeting that happened, add a session.")
        elif starts and starts > timezone.now() + timedelta(days=550):
            self.add_error("starts_at", "Check the year: that is more than eighteen months ahead.")
        if data.get("repeat") and not data.get("count"):
            self.add_error("count", "Say how many appointments the series has (2 to 52).")
        return data

    def booking(self) -> Booking:
        data = self.cleaned_data
        return Booking(
            first=data["starts_at"],
            minutes=data["minutes"],
            format=data["format"],
            individual_client=data["individual_client"],
            modality=data["modality"],
            video_link=data["video_link"],
            every_weeks=data["repeat"],
            count=(data["count"] or 1) if data["repeat"] else 1,
            outside_hours=data["outside_hours"],
            conjoint_override_reason=self.override_reason,
        )


SCOPES = [("one", "Only this appointment"), ("following", "This one and the later ones of its series")]


class MoveForm(forms.Form):
    bound_field_class = BootstrapBoundField

    starts_at = AsciiDateTimeField(**WHEN_FIELD)
    minutes = WholeNumberField(**MINUTES_FIELD)
    modality = forms.ChoiceField(choices=Modality.choices, label="In person or by video")
    video_link = VideoLinkField()
    scope = forms.ChoiceField(choices=SCOPES, initial="one", widget=forms.RadioSelect, label="Change")
    outside_hours = forms.BooleanField(required=False, label=OUTSIDE_HOURS_LABEL)
    version = WholeNumberField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, appointment: Appointment, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not appointment.series_id:
            del self.fields["scope"]
        words.mark_fields(self, appointment)

    def clean(self) -> dict:
        data = super().clean()
        starts = data.get("starts_at")
        if starts and starts < timezone.now() - timedelta(minutes=5):
            self.add_error("starts_at", "Choose a time that has not passed yet.")
        return data


class CancelForm(forms.Form):
    bound_field_class = BootstrapBoundField

    status = forms.ChoiceField(
        choices=[
            (AppointmentStatus.CANCELLED, "Cancelled in good time"),
            (AppointmentStatus.LATE_CANCELLED, "Late cancellation"),
        ],
        widget=forms.RadioSelect,
        label="What kind of cancellation",
    )
    reason = forms.CharField(
        max_length=500,
        label="Reason",
        help_text="For the practice only; the client never sees it.",
        widget=forms.TextInput,
        error_messages={
            "required": "Say briefly why, for example “client unwell, asked to cancel”.",
            "max_length": "Keep the reason under 500 characters.",
        },
    )
    scope = forms.ChoiceField(choices=SCOPES, initial="one", widget=forms.RadioSelect, label="Cancel")
    version = WholeNumberField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, appointment: Appointment, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not appointment.series_id:
            del self.fields["scope"]
        words.mark_fields(self, appointment)


class AttendanceForm(forms.Form):
    """Attended, or did not attend (with a reason); the override while a partner's urgent flag is open."""

    bound_field_class = BootstrapBoundField

    status = forms.ChoiceField(
        choices=[(AppointmentStatus.ATTENDED, "Attended"), (AppointmentStatus.NO_SHOW, "Did not attend")],
        widget=forms.RadioSelect,
        label="What happened",
    )
    reason = forms.CharField(required=False, max_length=500, label="Reason (if they did not attend)")
    override_reason = forms.CharField(
        required=False,
        max_length=1000,
        label="Why the conjoint session went ahead although conjoint sessions are not advised",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = WholeNumberField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, needs_override: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.needs_override = needs_override
        if not needs_override:
            del self.fields["override_reason"]

    def clean(self) -> dict:
        data = super().clean()
        status = data.get("status")
        if status == AppointmentStatus.NO_SHOW and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say what is known, for example “no contact; called, no answer”.")
        reason = (data.get("override_reason") or "").strip()
        if self.needs_override and status == AppointmentStatus.ATTENDED and not reason:
            self.add_error(
                "override_reason",
                "An urgent flag on a partner is open: say why the conjoint session went ahead; "
                "it is kept with the session.",
            )
        return data


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class WorkingHoursForm(forms.Form):
    """Seven rows: ticked days with their hours."""

    bound_field_class = BootstrapBoundField

    def __init__(self, *args, hours: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for day, name in enumerate(DAYS):
            start, end = hours.get(day, (None, None))
            self.fields[f"works_{day}"] = forms.BooleanField(required=False, label=name, initial=day in hours)
            for part, value in (("from", start), ("until", end)):
                self.fields[f"{part}_{day}"] = forms.TimeField(
                    required=False,
                    label=f"{name} {part}",
                    initial=value,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    error_messages={"invalid": "Enter a time like 09:00."},
                )

    @property
    def days(self) -> list[dict]:
        return [
            {"name": name, "works": self[f"works_{d}"], "from": self[f"from_{d}"], "until": self[f"until_{d}"]}
            for d, name in enumerate(DAYS)
        ]

    def clean(self) -> dict:
        data = super().clean()
        for day, name in enumerate(DAYS):
            if not data.get(f"works_{day}"):
                continue
            start, end = data.get(f"from_{day}"), data.get(f"until_{day}")
            if start is None or end is None:
                self.add_error(f"from_{day}", f"{name}: enter when you start and finish, or untick the day.")
            elif end <= start:
                self.add_error(f"until_{day}", f"{name}: the end must be after the start.")
        if not any(data.get(f"works_{day}") for day in range(7)) and not self.errors:
            raise forms.ValidationError("Tick at least one working day.")
        return data

    def rows(self, therapist) -> list[WorkingHours]:
        data = self.cleaned_data
        return [
            WorkingHours(therapist=therapist, weekday=d, starts=data[f"from_{d}"], ends=data[f"until_{d}"])
            for d in range(7)
            if data.get(f"works_{d}")
        ]
