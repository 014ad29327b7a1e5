"""What one document about a client will contain: the one place that decides, for the PDF, the JSON and the review.

`build()` starts from the client's own record (clinic.reports.summaries.gather:
never the partner's intake, screenings, flags, warning signs or individual
sessions) and then, for a release outside the treating team, keeps conjoint
session notes only while the other partner's authorization to this recipient,
covering conjoint notes, is in force; the rest are only counted. The couple's
shared treatment goals (the shared material) follow the same rule, under an
authorization covering the shared material; without one a line says, without
content, that they are withheld. A client's own individual goals, assignments
and sent check-ins are their own record. Redactions are
applied to the text pieces ("parts") the document shows; the record is never
changed.
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
from clinic.releases.models import Release, ReleaseAuthorization, ReleasePurpose, Scope


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
            "parts": sorted(self.parts),
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
    return given.to_third_party().filter(pk=release.authorization_id).first()


def _session_label(session: TherapySession) -> str:
    return f"{show(session.starts_at)} · {session.get_format_display()}"


def build(*, case: Case, client: Client, options: dict, release: Release | None = None) -> Contents:
    """The document's contents. Without a release it is internal (continuity of care, supervision): unchanged."""
    from clinic.reports.summaries import gather

    start = date.fromisoformat(options["from"]) if options.get("from") else None
    end = date.fromisoformat(options["to"]) if options.get("to") else None
    full = options.get("notes") == "full" or (release is not None and release.full_notes)
    export = release is not None and release.kind == Release.Kind.EXPORT
    summary = gather(case=case, client=client, date_from=start, date_to=end, full_notes=full)

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

    def add(key: str, section: str, label: str, text) -> None:
        if isinstance(text, str) and text.strip():
            parts[key] = Part(key=key, section=section, label=label, original=text)

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
                    add(f"intake:{slug}:{name}", "Intake", label, value)
        else:
            reasons = answers.get("reasons") or {}
            add("intake:reasons:reasons", "Intake highlights", "What brings them", reasons.get("reasons"))
            add(
                "intake:reasons:goals",
                "Intake highlights",
                "What they would like to be different",
                reasons.get("goals"),
            )
    for sign in summary.signs:
        add(
            f"sign:{sign.pk}",
            "Warning signs",
            f"{sign.get_type_display()}, {show(sign.observed_on)}",
            sign.description,
        )
    for flag in summary.flags:
        add(
            f"flag:{flag.pk}:acknowledge",
            "Risk flags",
            f"Flag of {show(flag.raised_at)}: acknowledged",
            flag.acknowledge_note,
        )
        add(f"flag:{flag.pk}:resolve", "Risk flags", f"Flag of {show(flag.raised_at)}: resolved", flag.resolve_note)
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
        for checkin in assignment.sent_checkins:
            add(
                f"checkin:{checkin.code}:text",
                "Between-session practice",
                f"{label} · check-in of {show(checkin.sent_at)}",
                checkin.text,
            )

    applied = 0
    if release is not None:
        for redaction in release.redactions.all():
            part = parts.get(redaction.part)
            if part is None:
                continue
            chosen = passages.choose(passages.find(part.original, redaction.passage), redaction.occurrence)
            if chosen:
                part.spans.extend(chosen)
                applied += 1

    # The template reads the released text from the objects it already loops over.
    def text(key: str, original):
        return parts[key].text if key in parts else original

    for sign in summary.signs:
        sign.released_description = text(f"sign:{sign.pk}", sign.description)
    for flag in summary.flags:
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
    )
