"""The client summary: one client's own material, gathered in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.models import RiskFlag, Screening, WarningSign
from assessments.reliable import own_change
from clinic.clients.models import Case, Client
from clinic.lib import language
from clinic.lib.charts import Bar, bar_chart, line_chart
from clinic.lib.dates import show
from clinic.lib.widgets import DatePicker
from clinic.notes.models import Addendum, SessionNote, TherapySession
from clinic.releases.models import fold_name
from intake.models import Intake

# The labels are marked for the catalogue but kept plain: a summary's purpose is recorded in English and
# shown in the document's language.
PURPOSES = [
    ("continuity", gettext_noop("Continuity of care")),
    ("client_request", gettext_noop("The client's own request")),
    ("supervision", gettext_noop("Supervision")),
    ("legal", gettext_noop("Legal or required by law")),
    ("other", gettext_noop("Other (say what)")),
]
# Purposes inside the treating team: made at once, marked "Internal". Every other purpose is a
# release outside the team and goes through review first (clinic.releases).
INTERNAL_PURPOSES = ("continuity", "supervision")


class SummaryForm(forms.Form):
    purpose = forms.ChoiceField(
        choices=[("", "Choose the purpose"), *PURPOSES],
        error_messages={"required": "Say why this summary is being made: every PDF is a disclosure and is recorded."},
    )
    purpose_other = forms.CharField(label="Other purpose", required=False, max_length=200)
    date_from = forms.DateField(required=False, widget=DatePicker(), label="From")
    date_to = forms.DateField(required=False, widget=DatePicker(), label="To")
    notes = forms.ChoiceField(
        choices=[("summaries", "Note summaries (assessment and plan)"), ("full", "Full notes")],
        initial="summaries",
        widget=forms.RadioSelect,
        label="Session notes",
    )
    recipient_name = forms.CharField(
        label="Who receives it (name, and organisation or relationship)",
        required=False,
        max_length=200,
        help_text=(
            "For a legal or other purpose. For the client's own request the recipient is the client. Under an"
            " authorization, the recipient is the one it names: leave this empty."
        ),
    )
    language = forms.ChoiceField(
        label="Language of the PDF",
        choices=language.choices,
        required=False,
        help_text=(
            "The client's own language comes first. The summary's headings, dates and questionnaire wording follow it;"
            " what staff wrote stays as they wrote it."
        ),
    )
    authorization = forms.ChoiceField(
        label="The other partner's authorization for this recipient",
        required=False,
        help_text=(
            "Joint-session notes, and the couple's shared treatment goals, go to a third party only under one of"
            " these, as far as its scope says. Without one they are withheld."
        ),
    )

    def __init__(self, *args, authorizations=(), client_language: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language.bare(client_language)
        self.authorizations = {str(a.code): a for a in authorizations}
        if self.authorizations:
            choices = [
                (code, f"{a.recipient_label}: {a.get_scope_display().lower()}, until {show(a.expires_on)}")
                for code, a in self.authorizations.items()
            ]
            self.fields["authorization"].choices = [
                ("", "None: withhold the joint-session notes and shared goals"),
                *choices,
            ]
        else:
            del self.fields["authorization"]

    def clean(self) -> dict:
        data = super().clean()
        data["language"] = data.get("language") or self.fields["language"].initial
        if data.get("purpose") == "other" and not data.get("purpose_other", "").strip():
            self.add_error("purpose_other", "Say what the purpose is.")
        chosen = self.authorizations.get(data.get("authorization") or "")
        data["authorization"] = chosen if data.get("purpose") in ("legal", "other") else None
        typed = data.get("recipient_name", "").strip()
        if data.get("purpose") in ("legal", "other"):
            if chosen is None and not typed:
                self.add_error("recipient_name", "Say who receives it: a name, and their organisation or relationship.")
            elif chosen is not None and typed and fold_name(typed) != fold_name(chosen.recipient_label):
                # Consent is bound to who receives it: an authorization to one person carries nothing to another.
                self.add_error(
                    "recipient_name",
                    f"The authorization you chose is for {chosen.recipient_label} only, so a release under it goes"
                    f" only to them. To send this to {typed}, choose “None” (the joint-session notes and shared"
                    " goals are then withheld), or leave the name empty to send it to the person the authorization"
                    " names.",
                )
            elif chosen is not None:
                # Taken from the authorization, never typed.
                data["recipient_name"] = chosen.recipient_label
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def purpose_text(self) -> str:
        data = self.cleaned_data
        return data["purpose_other"].strip() if data["purpose"] == "other" else dict(PURPOSES)[data["purpose"]]


@dataclass
class ClientSummary:
    client: Client
    case: Case
    date_from: date | None
    date_to: date | None
    full_notes: bool
    intake: object
    power: list
    safety: list
    chart: str | None
    trend: str | None
    signs: list
    flags: list
    sessions: list
    # The plan in force: its version, the couple's shared goals and this client's own, never the partner's.
    plan_version: object = None
    shared_goals: list = field(default_factory=list)
    own_goals: list = field(default_factory=list)
    # This client's own between-session practice, with the check-ins they sent.
    assignments: list = field(default_factory=list)
    # Reliable change across this client's own power questionnaires in the period (never the partner's).
    change: dict | None = None
    # This client's own session check-ins of this case (a record export only; never the partner's, never an alert).
    session_checkins: list = field(default_factory=list)

    def derive(self) -> None:
        """The charts and the reliable change, drawn from the power questionnaires the summary holds."""
        power = self.power
        self.chart = None
        if power:
            latest = power[-1]
            self.chart = bar_chart(
                [
                    Bar(latest.words.domains.get(d["key"], d["title"]), (d["score"],), highlight=d["score"] >= 50)
                    for d in latest.scores["domains"]
                ],
                title=_("Imbalance by domain, latest questionnaire"),
            )
        self.trend = (
            line_chart(
                {_("Power index"): [(timezone.localdate(s.submitted_at), s.scores["index"]) for s in power]},
                title=_("Power index over time"),
            )
            if len(power) > 1
            else None
        )
        self.change = own_change(power)


def _in_range(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


@dataclass(frozen=True)
class Words:
    """A screening's domain and band names in the language active now (the document's)."""

    domains: dict
    band: str


def _words(screening: Screening) -> Words:
    from assessments.framework import registry
    from assessments.translations import localized

    instrument = localized(registry.get(screening.instrument_key, screening.instrument_version), language.current())
    bands = {b.key: b.label for b in instrument.bands}
    scores = screening.scores or {}
    return Words(
        domains={d.key: d.title for d in instrument.domains},
        band=bands.get(scores.get("band"), scores.get("band_label", "")),
    )


def gather(
    *, case: Case, client: Client, date_from=None, date_to=None, full_notes: bool = False, checkins: bool = False
) -> ClientSummary:
    """This client's own record only: never the partner's answers, flags, signs or individual sessions."""
    intake = Intake.objects.filter(client=client, status="submitted").first()
    screenings = [
        s
        for s in Screening.objects.submitted().filter(client=client).order_by("submitted_at")
        if _in_range(timezone.localdate(s.submitted_at), date_from, date_to)
    ]
    power = [s for s in screenings if s.instrument_key == "power"]
    safety = [s for s in screenings if s.instrument_key == "safety"]
    for screening in power:
        screening.words = _words(screening)
    signs = [
        w
        for w in WarningSign.objects.filter(client=client).order_by("observed_on")
        if _in_range(w.observed_on, date_from, date_to)
    ]
    flags = list(
        RiskFlag.objects.filter(client=client).select_related("acknowledged_by", "resolved_by").order_by("raised_at")
    )
    # Conjoint sessions of this case and individual sessions with this client; never the partner's individual ones.
    sessions = (
        TherapySession.objects.filter(case=case)
        .filter(Q(format=TherapySession.Format.CONJOINT) | Q(individual_client=client))
        .filter(note__status=SessionNote.Status.SIGNED)
        .select_related("note__signed_by")
        .prefetch_related("note__tags", Prefetch("note__addenda", queryset=Addendum.objects.select_related("author")))
        .order_by("starts_at")
    )
    sessions = [s for s in sessions if _in_range(timezone.localdate(s.starts_at), date_from, date_to)]
    plan_version, shared_goals, own_goals = plan_goals(case=case, client=client)
    summary = ClientSummary(
        client=client,
        case=case,
        date_from=date_from,
        date_to=date_to,
        full_notes=full_notes,
        intake=intake,
        power=power,
        safety=safety,
        chart=None,
        trend=None,
        signs=signs,
        flags=flags,
        sessions=sessions,
        plan_version=plan_version,
        shared_goals=shared_goals,
        own_goals=own_goals,
        assignments=own_assignments(case=case, client=client),
        session_checkins=own_session_checkins(case=case, client=client) if checkins else [],
    )
    summary.derive()
    return summary


def own_session_checkins(*, case: Case, client: Client) -> list:
    """This client's own sent check-ins after sessions of this case, oldest first."""
    return list(
        client.session_checkins.submitted()
        .filter(session__case=case)
        .select_related("session")
        .order_by("session__starts_at")
    )


def plan_goals(*, case: Case, client: Client) -> tuple:
    """The signed version in force, its shared goals and `client`'s own individual goals: never the partner's."""
    from clinic.plans.models import PlanVersion

    version = PlanVersion.objects.signed().filter(plan__case=case).order_by("-number").first()
    if version is None:
        return None, [], []
    goals = list(version.goals.seen_by_client(client))
    return version, [g for g in goals if g.client_id is None], [g for g in goals if g.client_id == client.pk]


def own_assignments(*, case: Case, client: Client) -> list:
    """What was assigned to this client alone, with the check-ins they sent (drafts stay theirs until sent)."""
    from clinic.plans.models import Assignment, CheckIn

    sent = CheckIn.objects.filter(sent_at__isnull=False).order_by("sent_at")
    return list(
        Assignment.objects.filter(case=case, client=client)
        .prefetch_related(Prefetch("checkins", queryset=sent, to_attr="sent_checkins"))
        .order_by("starts_on", "id")
    )
