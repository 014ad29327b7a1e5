"""A client's record for a records request: machine-readable JSON and the client summary PDF, in one ZIP.

The JSON holds the same material as the client summary with full notes
(clinic.reports.summaries.gather): this client's own answers, screenings,
warning signs and flags; conjoint sessions and their own individual ones,
with signed notes and addenda; the treatment plan in force (the couple's shared
goals, under the same rule as conjoint notes, and this client's own individual
goals), and this client's own assignments with the check-ins they sent. Never
the partner's material (their individual goals, assignments, check-ins), never drafts,
never psychotherapy notes. An export always leaves the treating team: it is
made only from a confirmed release (clinic.releases), so conjoint notes are in
it only under the other partner's authorization (otherwise counted as
withheld) and reviewed redactions replace their passages with "[redacted]".
"""

import io
import json
import zipfile

from django.utils import timezone

from clinic.clients.models import Case, Client
from clinic.reports.documents import client_summary_pdf

SCHEMA = "fulcrum.client-record"
SCHEMA_VERSION = 3


def _when(value):
    return value.isoformat() if value else None


def _who(user):
    return (user.get_full_name() or user.username) if user else None


def _answers(intake, c) -> dict:
    def released(key: str, value):
        return c.text(key, value) if isinstance(value, str) else c.value(key, value)

    return {
        slug: {name: released(f"intake:{slug}:{name}", value) for name, value in values.items()}
        for slug, values in (intake.answers or {}).items()
        if isinstance(values, dict)
    }


def _goal(goal) -> dict:
    return {
        "reference": str(goal.lineage),
        "practice": goal.practice,
        "statement": goal.released_statement,
        "progress_shows": goal.released_shows,
        "measure": goal.measure_text() or None,
        "target_date": _when(goal.target_date),
        "progress": goal.progress or None,
        "progress_evidence": goal.released_evidence or None,
    }


def _plan(c) -> dict | None:
    version = c.summary.plan_version
    if version is None:
        return None
    return {
        "version": version.number,
        "signed_at": _when(version.signed_at),
        "content_hash": version.content_hash,
        # Withheld (None, and a notice without content) unless the other partner authorized the shared material.
        "shared_goals": None if c.goals_withheld else [_goal(g) for g in c.shared_goals],
        "shared_goals_withheld": c.goals_withheld_notice or None,
        "own_goals": [_goal(g) for g in c.summary.own_goals],
    }


def _assignments(c) -> list:
    return [
        {
            "title": a.title,
            "practice": a.practice,
            "instructions": c.text(f"assignment:{a.code}:instructions", a.instructions),
            "personal_note": a.released_note,
            "starts_on": _when(a.starts_on),
            "ends_on": _when(a.ends_on),
            "withdrawn_at": _when(a.withdrawn_at),
            "checkins": [
                {
                    "sent_at": _when(ch.sent_at),
                    # Null when the reviewer withheld this check-in's answers.
                    "tried": (ch.released_answers or {}).get("tried"),
                    "text": ch.released_text,
                    "made_things_worse": (ch.released_answers or {}).get("made_things_worse"),
                }
                for ch in a.sent_checkins
            ],
        }
        for a in c.summary.assignments
    ]


def record_data(*, case: Case, client: Client, by, purpose: str, release, contents=None) -> dict:
    """The record's JSON, written from `contents` (built here when not given) and nothing else."""
    from clinic.releases.contents import build

    c = contents or build(case=case, client=client, options={"notes": "full"}, release=release)
    s = c.summary
    client = s.client
    intake = s.intake
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now().isoformat(),
        "generated_by": _who(by),
        "purpose": purpose,
        "client": {
            "reference": str(client.code),
            "full_name": client.full_name,
            "preferred_name": client.preferred_name,
            "email": client.email,
            "phone": client.phone,
            "safe_contact": {
                "email": client.may_email,
                "calls": client.may_call,
                "texts": client.may_text,
                "voicemail": client.may_leave_voicemail,
                "safe_times": c.text("client:safe_times", client.safe_times),
            },
        },
        "intake": intake
        and {
            "submitted_at": _when(intake.submitted_at),
            "signature_name": intake.signature_name,
            "answers": _answers(intake, c),
        },
        "screenings": [
            {
                "instrument": sc.instrument_key,
                "instrument_version": sc.instrument_version,
                "submitted_at": _when(sc.submitted_at),
                **(c.value(f"screening:{sc.pk}") or {}),
            }
            for sc in [*s.power, *s.safety]
        ],
        "warning_signs": [
            {
                "type": w.type,
                "observed_on": _when(w.observed_on),
                "severity": w.severity,
                "source": w.source,
                "description": w.released_description,
                "action_taken": c.value(f"sign:{w.pk}:action", w.action_taken),
                "recorded_at": _when(w.recorded_at),
            }
            for w in s.signs
        ],
        "risk_flags": [
            {
                "severity": f.severity,
                "status": f.status,
                "reasons": f.released_reasons,
                "raised_at": _when(f.raised_at),
                "acknowledged_at": _when(f.acknowledged_at),
                "acknowledged_by": _who(f.acknowledged_by),
                "acknowledge_note": f.released_acknowledge_note,
                "resolved_at": _when(f.resolved_at),
                "resolved_by": _who(f.resolved_by),
                "resolve_note": f.released_resolve_note,
            }
            for f in s.flags
        ],
        "sessions": [
            {
                "starts_at": _when(session.starts_at),
                "duration_minutes": session.duration_minutes,
                "format": session.format,
                "modality": session.modality,
                "attendance": session.attendance,
                "note": {
                    "format": session.note.format,
                    "content": {
                        key: c.text(f"note:{session.code}:{key}", value) for key, value in session.note.content.items()
                    },
                    "next_steps": c.text(f"note:{session.code}:next_steps", session.note.next_steps),
                    "practices": [
                        {
                            "practice": t.practice,
                            "focus": t.focus,
                            "evidence": c.text(f"tag:{t.pk}:evidence", t.evidence),
                        }
                        for t in session.note.tags.all()
                    ],
                    "signed_by": _who(session.note.signed_by),
                    "signed_at": _when(session.note.signed_at),
                    "late_entry": session.note.late_entry,
                    "content_hash": session.note.content_hash,
                    "addenda": [
                        {
                            "text": text,
                            "by": _who(a.author),
                            "signed_at": _when(a.signed_at),
                            "content_hash": a.content_hash,
                        }
                        for a, text in session.released_addenda
                    ],
                },
            }
            for session in c.sessions
        ],
        "treatment_plan": _plan(c),
        "assignments": _assignments(c),
        # This client's own check-ins after sessions of this case; never the partner's, never an alert.
        "session_checkins": [
            {
                "session_starts_at": _when(k.session.starts_at),
                "instrument": k.instrument_key,
                "instrument_version": k.instrument_version,
                "submitted_at": _when(k.submitted_at),
                # Null when the reviewer withheld this check-in's ratings.
                "answers": (c.value(f"session_checkin:{k.pk}:ratings") or {}).get("answers"),
                "mean": (c.value(f"session_checkin:{k.pk}:ratings") or {}).get("mean"),
                "comment": c.text(f"session_checkin:{k.pk}:comment", k.comment),
            }
            for k in s.session_checkins
        ],
        "withheld": {
            "conjoint_session_notes": c.withheld,
            "notice": c.withheld_notice,
        },
        "redactions": c.redactions_applied,
    }


def record_zip(*, contents, by, purpose: str) -> tuple[bytes, str]:
    """The ZIP of a release: the JSON and the PDF, both written from the one `contents` that was checked."""
    c = contents
    data = record_data(
        case=c.summary.case, client=c.summary.client, by=by, purpose=purpose, release=c.release, contents=c
    )
    pdf, _ = client_summary_pdf(
        case=c.summary.case,
        client=c.summary.client,
        options={"notes": "full", "purpose": purpose},
        by=by,
        release=c.release,
        contents=c,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", json.dumps(data, indent=1, ensure_ascii=False))
        archive.writestr("summary.pdf", pdf)
    # A neutral file name: no client name lands in a downloads folder.
    return buffer.getvalue(), f"record-{timezone.localtime():%Y%m%d-%H%M}.zip"
