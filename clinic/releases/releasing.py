"""The life of a release outside the treating team: prepare, review (redact), confirm or cancel, deliver.

Every step is audited. Audit details carry identifiers, options and counts,
never clinical text (a redaction's passage and reason stay on the Redaction
row, which only the case's staff reach).
"""

from django.db import transaction
from django.http import HttpRequest

from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client
from clinic.releases import passages
from clinic.releases.contents import Contents, build
from clinic.releases.models import Redaction, Release, ReleaseAuthorization


class ContentsChanged(Exception):
    """What the release would contain is not what the therapist reviewed."""


def contents_of(release: Release) -> Contents:
    options = {**release.options, "purpose": release.purpose_text}
    return build(case=release.case, client=release.client, options=options, release=release)


def _counts(contents: Contents) -> dict:
    return {
        "conjoint_included": contents.conjoint_included,
        "conjoint_withheld": contents.withheld,
        "redactions": contents.redactions_applied,
    }


def _detail(release: Release, **extra) -> dict:
    return {
        "release": str(release.code),
        "document": release.kind,
        "purpose": release.purpose_text,
        "recipient": release.recipient_name,
        "notes": "full" if release.full_notes else "summaries",
        "from": release.options.get("from", ""),
        "to": release.options.get("to", ""),
        **extra,
    }


def prepare(
    *,
    case: Case,
    client: Client,
    kind: str,
    purpose: str,
    purpose_other: str = "",
    recipient_name: str = "",
    authorization: ReleaseAuthorization | None = None,
    options: dict,
    by,
    request: HttpRequest | None = None,
) -> Release:
    if purpose == Release.Purpose.CLIENT_REQUEST:
        recipient_name, authorization = client.full_name, None
    release = Release.objects.create(
        case=case,
        client=client,
        kind=kind,
        purpose=purpose,
        purpose_other=purpose_other.strip() if purpose == Release.Purpose.OTHER else "",
        recipient_name=recipient_name.strip()[:200],
        authorization=authorization,
        options=options,
        prepared_by=by,
    )
    record(
        action=Action.RELEASE_PREPARED,
        request=request,
        actor=by,
        target=release,
        client=client,
        detail=_detail(release),
    )
    return release


def add_redaction(
    *, release: Release, part: str, passage: str, occurrence: int, reason: str, by, request=None
) -> Redaction:
    redaction = Redaction.objects.create(
        release=release, part=part, passage=passage, occurrence=occurrence, reason=reason.strip(), redacted_by=by
    )
    record(
        action=Action.RELEASE_REDACTED,
        request=request,
        actor=by,
        target=release,
        client=release.client,
        detail={"release": str(release.code), "part": part, "occurrence": occurrence},
    )
    return redaction


def count_in(contents: Contents, part: str, passage: str) -> int:
    found = contents.parts.get(part)
    return len(passages.find(found.original, passage)) if found else 0


@transaction.atomic
def confirm(*, release: Release, reviewed: str, by, request=None) -> Contents:
    """Confirm what the therapist reviewed, re-checked against the authorizations and notes as they are now."""
    release = Release.objects.select_for_update().get(pk=release.pk)
    contents = contents_of(release)
    if contents.fingerprint != reviewed:
        raise ContentsChanged
    if release.confirm(by=by, fingerprint=contents.fingerprint):
        record(
            action=Action.RELEASE_CONFIRMED,
            request=request,
            actor=by,
            target=release,
            client=release.client,
            detail=_detail(release, **_counts(contents)),
        )
    return contents


def cancel(*, release: Release, by, request=None) -> bool:
    cancelled = release.cancel(by=by)
    if cancelled:
        record(
            action=Action.RELEASE_CANCELLED,
            request=request,
            actor=by,
            target=release,
            client=release.client,
            detail={"release": str(release.code)},
        )
    return cancelled


def checked_contents(release: Release) -> Contents:
    """The contents of a confirmed release, if still what was confirmed; otherwise back to review."""
    contents = contents_of(release)
    if release.status != Release.Status.CONFIRMED:
        raise ContentsChanged
    if contents.fingerprint != release.confirmed_fingerprint:
        release.reopen()
        raise ContentsChanged
    return contents


def make_file(*, release: Release, by) -> tuple[bytes, str, dict]:
    """The released file (PDF or ZIP), made now from a still-valid confirmed release, and its counts."""
    from clinic.reports.documents import client_summary_pdf
    from clinic.reports.export import record_zip

    contents = checked_contents(release)
    if release.kind == Release.Kind.EXPORT:
        data, filename = record_zip(
            case=release.case, client=release.client, by=by, purpose=release.purpose_text, release=release
        )
    else:
        options = {**release.options, "purpose": release.purpose_text}
        data, filename = client_summary_pdf(
            case=release.case, client=release.client, options=options, by=by, release=release
        )
    return data, filename, _counts(contents)


def record_download(*, release: Release, counts: dict, by, request=None) -> None:
    record(
        action=Action.RELEASE_DOWNLOADED,
        request=request,
        actor=by,
        target=release,
        client=release.client,
        detail=_detail(release, **counts),
    )
