"""What one document about a client will contain: the one place that decides, for the PDF, the JSON and the review.

`build()` starts from the client's own record (clinic.reports.summaries.gather:
never the partner's intake, screenings, flags, warning signs or individual
sessions) and then, for a release outside the treating team, keeps conjoint
session notes only while the other partner's authorization to this recipient,
covering conjoint notes, is in force; the rest are only counted. Redactions are
applied to the text pieces ("parts") the document shows; the record is never
changed.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from clinic.clients.models import Case, Client
from clinic.lib.dates import show
from clinic.notes.models import TherapySession
from clinic.releases import passages
from clinic.releases.models import Release, ReleaseAuthorization, ReleasePurpose

WITHHELD_NOTICE = "{count} conjoint-session note{s} {are} withheld until the other partner authorizes {their} release."


def withheld_notice(count: int) -> str:
    return WITHHELD_NOTICE.format(
        count=count,
        s="" if count == 1 else "s",
        are="is" if count == 1 else "are",
        their="its" if count == 1 else "their",
    )


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

    @property
    def withheld_notice(self) -> str:
        return withheld_notice(self.withheld) if self.withheld else ""

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
        return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def authorization_for(release: Release, *, on: date | None = None) -> ReleaseAuthorization | None:
    """The other partner's authorization in force today that lets this release carry conjoint notes, if any."""
    partner = release.partner
    if partner is None or release.case.kind != Case.Kind.COUPLE:
        return None
    given = ReleaseAuthorization.objects.filter(case=release.case, authorizing_client=partner).in_force(on)
    given = given.covering_conjoint_notes()
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
    )
