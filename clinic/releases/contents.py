"""What one document about a client will contain: the one place that decides, for the PDF, the JSON and the review.

`build()` starts from the client's own record (clinic.reports.summaries.gather:
never the partner's intake, screenings, flags, warning signs or individual
sessions) and then, for a release outside the treating team, keeps conjoint
session notes only while the other partner's authorization to this recipient,
covering conjoint notes, is in force; the rest are only counted. The couple's
shared treatment goals (the shared material) follow the same rule, under an
authorization covering the shared material; without one a line says, without
content, that they are withheld. A client's own individual goals, assignments
and sent check-ins are their own record.

Everything a file of a release carries is listed here, once: free text as
"parts" (redacted by passage) and structured values as "items" (a
questionnaire's answers and scores, check-in ratings, a flag's reasons, a
warning sign's action; withheld whole). The review page, the redaction step,
the confirmation fingerprint and every file writer (the PDF, the record's JSON)
read this one object and nothing else, so a redaction reaches every file and
every field. The record itself is never changed.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext, ngettext

from clinic.clients.models import Case, Client
from clinic.lib.dates import show
from clinic.notes.models import TherapySession
from clinic.releases import passages
from clinic.releases.models import Redaction, Release, ReleaseAuthorization, ReleasePurpose, Scope, fold_name


def withheld_notice(count: int) -> str:
    """In the language active now: the document's."""
    return ngettext(
        "%(count)s conjoint-session note is withheld until the other partner authorizes its release.",
        "%(count)s conjoint-session notes are withheld until the other partner authorizes their release.",
        count,
    ) % {"count": count}


def goals_withheld_notice() -> str:
    return gettext("The couple's shared treatment goals are withheld until the other partner authorizes their release.")


@dataclass
class Part:
    """One piece of text in the document that a reviewer may redact from."""

    key: str
    section: str
    label: str
    original: str
    spans: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return passages.redact(self.original, passages.merge(self.spans))

    @property
    def segments(self) -> list[tuple[str, bool]]:
        return passages.segments(self.original, self.spans)


@dataclass
class Item:
    """One structured value in the document (answers, ratings, reasons) that a reviewer may withhold whole."""

    key: str
    section: str
    label: str
    shown: str
    data: object
    withheld: bool = False


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass
class Contents:
    summary: object
    internal: bool
    release: Release | None
    sessions: list
    conjoint_included: int
    withheld: int
    authorization: ReleaseAuthorization | None
    parts: dict
    redactions_applied: int
    # The plan in force's shared goals as released (empty when withheld), and whether they were withheld.
    shared_goals: list = field(default_factory=list)
    goals_withheld: bool = False
    goals_authorization: ReleaseAuthorization | None = None
    items: dict = field(default_factory=dict)

    @property
    def relied_on(self) -> list[ReleaseAuthorization]:
        """Every authorization the contents rely on (conjoint notes, shared material), each once."""
        found = {a.pk: a for a in (self.authorization, self.goals_authorization) if a is not None}
        return list(found.values())

    def value(self, key: str, default=None):
        """A structured value as released: None when it was withheld."""
        item = self.items.get(key)
        if item is None:
            return default
        return None if item.withheld else item.data

    def item_sections(self) -> list[tuple[str, list[Item]]]:
        grouped: dict[str, list[Item]] = {}
        for item in self.items.values():
            grouped.setdefault(item.section, []).append(item)
        return list(grouped.items())

    @property
    def withheld_notice(self) -> str:
        return withheld_notice(self.withheld) if self.withheld else ""

    @property
    def goals_withheld_notice(self) -> str:
        return goals_withheld_notice() if self.goals_withheld else ""

    def text(self, key: str, default: str = "") -> str:
        part = self.parts.get(key)
        return part.text if part else default

    @property
    def intake_reasons(self) -> str:
        return self.text("intake:reasons:reasons")

    @property
    def intake_goals(self) -> str:
        return self.text("intake:reasons:goals")

    def sections(self) -> list[tuple[str, list[Part]]]:
        grouped: dict[str, list[Part]] = {}
        for part in self.parts.values():
            grouped.setdefault(part.section, []).append(part)
        return list(grouped.items())

    @property
    def fingerprint(self) -> str:
        """A digest of what the document holds: a confirm or a download compares it with what was reviewed."""
        state = {
            "sessions": sorted(str(s.code) for s in self.sessions),
            "withheld": self.withheld,
            "authorization": str(self.authorization.code) if self.authorization else "",
            # Each piece by its key and what it says now: a piece added (a check-in sent after review) or changed
            # is a different document.
            "parts": sorted([p.key, _digest(p.original)] for p in self.parts.values()),
            "items": sorted([i.key, _digest(i.data), i.withheld] for i in self.items.values()),
            "redactions": sorted([p.key, sorted(map(list, p.spans))] for p in self.parts.values() if p.spans),
        }
        # Only when there is a plan, so that releases confirmed before plans existed keep their fingerprint.
        if self.goals_withheld or self.goals_authorization:
            state["goals"] = [
                self.goals_withheld,
                str(self.goals_authorization.code) if self.goals_authorization else "",
            ]
        return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def authorization_for(
    release: Release, *, on: date | None = None, material: str = Scope.CONJOINT_NOTES
) -> ReleaseAuthorization | None:
    """The other partner's authorization in force today that lets this release carry `material`, if any.

    `material` is Scope.CONJOINT_NOTES (the notes of joint sessions) or Scope.SHARED_MATERIAL (the couple's
    shared treatment goals).
    """
    partner = release.partner
    if partner is None or release.case.kind != Case.Kind.COUPLE:
        return None
    given = ReleaseAuthorization.objects.filter(case=release.case, authorizing_client=partner).in_force(on)
    given = given.covering(material)
    if release.purpose == ReleasePurpose.CLIENT_REQUEST:
        # The recipient is the client: the partner's authorization to them.
        return given.to_partner(release.client).order_by("-expires_on", "-id").first()
    if release.authorization_id is None:
        return None
    # Only the authorization staff chose, and only while it names this release's recipient.
    chosen = given.to_third_party().filter(pk=release.authorization_id).first()
    return chosen if chosen is not None and names_recipient(chosen, release) else None


def names_recipient(authorization: ReleaseAuthorization, release: Release) -> bool:
    """Whether `authorization` is to the person this release goes to: a consent is bound to who receives it."""
    if release.purpose == ReleasePurpose.CLIENT_REQUEST:
        return (
            authorization.recipient_kind == ReleaseAuthorization.RecipientKind.PARTNER
            and authorization.recipient_client_id == release.client_id
        )
    return authorization.recipient_kind == ReleaseAuthorization.RecipientKind.THIRD_PARTY and fold_name(
        authorization.recipient_label
    ) == fold_name(release.recipient_name)


def _session_label(session: TherapySession) -> str:
    return f"{show(session.starts_at)} · {session.get_format_display()}"


def _screening_shown(screening) -> str:
    scores = screening.scores or {}
    if screening.instrument_key == "power":
        return f"index {scores.get('index')} ({scores.get('band_label') or scores.get('band', '')})"
    return str(getattr(screening, "level_label", "") or scores.get("level", ""))


def build(*, case: Case, client: Client, options: dict, release: Release | None = None) -> Contents:
    """The document's contents. Without a release it is internal (continuity of care, supervision): unchanged."""
    from clinic.reports.summaries import gather

    start = date.fromisoformat(options["from"]) if options.get("from") else None
    end = date.fromisoformat(options["to"]) if options.get("to") else None
    full = options.get("notes") == "full" or (release is not None and release.full_notes)
    export = release is not None and release.kind == Release.Kind.EXPORT
    summary = gather(case=case, client=client, date_from=start, date_to=end, full_notes=full, checkins=export)

    authorization = None
    sessions = summary.sessions
    withheld = 0
    if release is not None:
        authorization = authorization_for(release)
        conjoint = [s for s in sessions if s.format == TherapySession.Format.CONJOINT]
        if authorization is None and conjoint:
            withheld = len(conjoint)
            sessions = [s for s in sessions if s.format != TherapySession.Format.CONJOINT]
    included = sum(1 for s in sessions if s.format == TherapySession.Format.CONJOINT)

    shared_goals, goals_withheld, goals_authorization = summary.shared_goals, False, None
    if release is not None and case.kind == Case.Kind.COUPLE and shared_goals:
        goals_authorization = authorization_for(release, material=Scope.SHARED_MATERIAL)
        if goals_authorization is None:
            shared_goals, goals_withheld = [], True
            # What the document holds, everywhere it is read from: the withheld goals are not in it.
            summary.shared_goals = []

    parts: dict[str, Part] = {}
    items: dict[str, Item] = {}

    def add(key: str, section: str, label: str, text) -> None:
        if isinstance(text, str) and text.strip():
            parts[key] = Part(key=key, section=section, label=label, original=text)

    def item(key: str, section: str, label: str, shown: str, data) -> None:
        if data not in (None, "", [], {}):
            items[key] = Item(key=key, section=section, label=label, shown=shown, data=data)

    if export:
        add("client:safe_times", "About the client", "Safe times to contact", summary.client.safe_times)
    if summary.intake:
        answers = summary.intake.answers or {}
        if export:
            from intake.sections import SECTIONS

            sections = {s.slug: s for s in SECTIONS}
            for slug, values in answers.items():
                section = sections.get(slug)
                for name, value in (values or {}).items() if isinstance(values, dict) else ():
                    field = section.form_class.base_fields.get(name) if section else None
                    label = f"{section.title if section else slug} · {field.label if field else name}"
                    if isinstance(value, str):
                        add(f"intake:{slug}:{name}", "Intake", label, value)
                    else:
                        item(f"intake:{slug}:{name}", "Intake", label, json.dumps(value, ensure_ascii=False), value)
        else:
            reasons = answers.get("reasons") or {}
            add("intake:reasons:reasons", "Intake highlights", "What brings them", reasons.get("reasons"))
            add(
                "intake:reasons:goals",
                "Intake highlights",
                "What they would like to be different",
                reasons.get("goals"),
            )
    for screening in [*summary.power, *summary.safety]:
        title = "Power questionnaire" if screening.instrument_key == "power" else "Safety questionnaire"
        item(
            f"screening:{screening.pk}",
            "Questionnaires",
            f"{title}, {show(screening.submitted_at)}: answers and scores",
            _screening_shown(screening),
            {"answers": screening.answers, "scores": screening.scores, "result": screening.result},
        )
    for sign in summary.signs:
        label = f"{sign.get_type_display()}, {show(sign.observed_on)}"
        add(f"sign:{sign.pk}", "Warning signs", label, sign.description)
        item(
            f"sign:{sign.pk}:action",
            "Warning signs",
            f"{label}: action taken",
            sign.get_action_taken_display(),
            sign.action_taken,
        )
    for flag in summary.flags:
        label = f"Flag of {show(flag.raised_at)}"
        item(f"flag:{flag.pk}:reasons", "Risk flags", f"{label}: reasons", ", ".join(flag.reasons or []), flag.reasons)
        add(f"flag:{flag.pk}:acknowledge", "Risk flags", f"{label}: acknowledged", flag.acknowledge_note)
        add(f"flag:{flag.pk}:resolve", "Risk flags", f"{label}: resolved", flag.resolve_note)
    for session in sessions:
        note = session.note
        label = _session_label(session)
        labels = dict(note.fields())
        if full:
            names = [name for name, _ in note.fields()]
            if export:
                names += [k for k in note.content if k not in names]
        else:
            names = [k for k in ("assessment", "plan") if k in note.content]
        for name in names:
            add(
                f"note:{session.code}:{name}",
                "Sessions and notes",
                f"{label} · {labels.get(name, name.capitalize())}",
                note.content.get(name),
            )
        if export:
            add(f"note:{session.code}:next_steps", "Sessions and notes", f"{label} · Next steps", note.next_steps)
            for tag in note.tags.all():
                add(
                    f"tag:{tag.pk}:evidence",
                    "Sessions and notes",
                    f"{label} · {tag.get_practice_display()}: evidence",
                    tag.evidence,
                )
        for addendum in note.addenda.all():
            add(
                f"addendum:{addendum.code}",
                "Sessions and notes",
                f"{label} · Addendum of {show(addendum.signed_at)}",
                addendum.text,
            )

    for goal in [*shared_goals, *summary.own_goals]:
        whose = "Own goal" if goal.client_id else "Shared goal"
        add(f"goal:{goal.code}:statement", "Treatment plan", f"{whose} · {goal.get_practice_display()}", goal.statement)
        add(f"goal:{goal.code}:shows", "Treatment plan", f"{whose} · how progress will show", goal.progress_shows)
        add(f"goal:{goal.code}:evidence", "Treatment plan", f"{whose} · evidence of progress", goal.progress_evidence)
    for assignment in summary.assignments:
        label = f"{assignment.title}, {show(assignment.starts_on)}"
        add(
            f"assignment:{assignment.code}:note",
            "Between-session practice",
            f"{label} · personal note",
            assignment.personal_note,
        )
        if export:
            add(
                f"assignment:{assignment.code}:instructions",
                "Between-session practice",
                f"{label} · instructions",
                assignment.instructions,
            )
        for checkin in assignment.sent_checkins:
            when = f"{label} · check-in of {show(checkin.sent_at)}"
            answers = {"tried": checkin.tried, "made_things_worse": checkin.made_things_worse}
            shown = f"tried: {checkin.get_tried_display() or '—'}" + (
                "; made things worse or felt unsafe" if checkin.made_things_worse else ""
            )
            item(f"checkin:{checkin.code}:answers", "Between-session practice", f"{when}: answers", shown, answers)
            add(f"checkin:{checkin.code}:text", "Between-session practice", when, checkin.text)
    for k in summary.session_checkins:
        when = f"Check-in after the session of {show(k.session.starts_at)}"
        ratings = {"answers": (k.scores or {}).get("items"), "mean": k.mean}
        item(
            f"session_checkin:{k.pk}:ratings", "Session check-ins", f"{when}: ratings", str(ratings["answers"]), ratings
        )
        add(f"session_checkin:{k.pk}:comment", "Session check-ins", f"{when}: comment", k.comment)

    applied = 0
    if release is not None:
        for redaction in release.redactions.all():
            if redaction.kind == Redaction.Kind.ITEM:
                found = items.get(redaction.part)
                if found is not None and not found.withheld:
                    found.withheld = True
                    applied += 1
                continue
            part = parts.get(redaction.part)
            if part is None:
                continue
            chosen = passages.choose(passages.find(part.original, redaction.passage), redaction.occurrence)
            if chosen:
                part.spans.extend(chosen)
                applied += 1
        _leave_out_withheld(summary, items)

    # The template reads the released text from the objects it already loops over.
    def text(key: str, original):
        return parts[key].text if key in parts else original

    def value(key: str, original):
        found = items.get(key)
        if found is None:
            return original
        return None if found.withheld else found.data

    for sign in summary.signs:
        sign.released_description = text(f"sign:{sign.pk}", sign.description)
        action = value(f"sign:{sign.pk}:action", sign.action_taken)
        sign.released_action = sign.get_action_taken_display() if action else None
    for flag in summary.flags:
        flag.released_reasons = value(f"flag:{flag.pk}:reasons", flag.reasons)
        flag.released_acknowledge_note = text(f"flag:{flag.pk}:acknowledge", flag.acknowledge_note)
        flag.released_resolve_note = text(f"flag:{flag.pk}:resolve", flag.resolve_note)
    for session in sessions:
        note = session.note
        shown = note.fields() if full else [(k, k.capitalize()) for k in ("assessment", "plan")]
        session.released_fields = [
            (label, text(f"note:{session.code}:{name}", note.content.get(name)))
            for name, label in shown
            if note.content.get(name)
        ]
        session.released_addenda = [(a, text(f"addendum:{a.code}", a.text)) for a in note.addenda.all()]
    for goal in [*shared_goals, *summary.own_goals]:
        goal.released_statement = text(f"goal:{goal.code}:statement", goal.statement)
        goal.released_shows = text(f"goal:{goal.code}:shows", goal.progress_shows)
        goal.released_evidence = text(f"goal:{goal.code}:evidence", goal.progress_evidence)
    for assignment in summary.assignments:
        assignment.released_note = text(f"assignment:{assignment.code}:note", assignment.personal_note)
        for checkin in assignment.sent_checkins:
            checkin.released_text = text(f"checkin:{checkin.code}:text", checkin.text)
            checkin.released_answers = value(
                f"checkin:{checkin.code}:answers",
                {"tried": checkin.tried, "made_things_worse": checkin.made_things_worse},
            )

    return Contents(
        summary=summary,
        internal=release is None,
        release=release,
        sessions=sessions,
        conjoint_included=included,
        withheld=withheld,
        authorization=authorization,
        parts=parts,
        redactions_applied=applied,
        shared_goals=shared_goals,
        goals_withheld=goals_withheld,
        goals_authorization=goals_authorization,
        items=items,
    )


def _leave_out_withheld(summary, items: dict[str, Item]) -> None:
    """A withheld questionnaire leaves the document whole: its line, and the charts and change drawn from it."""
    kept = {key for key, found in items.items() if not found.withheld}
    before = len(summary.power) + len(summary.safety)
    summary.power = [s for s in summary.power if f"screening:{s.pk}" in kept]
    summary.safety = [s for s in summary.safety if f"screening:{s.pk}" in kept]
    if len(summary.power) + len(summary.safety) != before:
        summary.derive()
