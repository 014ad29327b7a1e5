"""The life of a release outside the treating team: prepare, review (redact), confirm or cancel, hand out.

Every step is audited. Audit details carry identifiers, options and counts,
never clinical text (a redaction's passage and reason stay on the Redaction
row, which only the case's staff reach).

`hand_out()` is the one gate every byte of a release passes through, whatever
the address it is asked from (the release page, a background file, a retry, a
link kept from yesterday): at that moment it checks that the release is
confirmed, that every authorization it relied on is still in force, not
replaced and to this recipient, and that its contents (and the stored file's)
are still what was confirmed. Otherwise nothing is handed out, the release
goes back to review where its contents changed, and the refusal is recorded.
"""

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client
from clinic.lib import language
from clinic.releases import passages
from clinic.releases.contents import Contents, build, names_recipient
from clinic.releases.models import Redaction, Release, ReleaseAuthorization, fold_name


class ContentsChanged(Exception):
    """What the release would contain is not what the therapist reviewed."""


# Why a hand-out was refused, in words for the person asking: what happened and what to do.
REFUSALS = {
    "cancelled": "This release was cancelled, so nothing in it can be downloaded. Prepare a new release if one is needed.",
    "not_confirmed": (
        "This release is waiting for the case's therapist to review and confirm it; nothing can be downloaded until"
        " then. Open the release to see where it stands."
    ),
    "withdrawn": (
        "The other partner withdrew the authorization this release relied on, so nothing in it can be downloaded."
        " The release is back with the therapist to review again: without an authorization the joint-session material"
        " is withheld."
    ),
    "expired": (
        "The authorization this release relied on has expired, so nothing in it can be downloaded. The release is"
        " back with the therapist to review again."
    ),
    "replaced": (
        "The other partner signed a newer authorization to this recipient, which replaces the one this release"
        " relied on. The release is back with the therapist to review again under the newer one."
    ),
    "recipient": (
        "The authorization this release relied on names a different recipient. The release is back with the"
        " therapist to review; a release goes only to the recipient its authorization names."
    ),
    "changed": (
        "What this release contains changed after it was confirmed (an authorization was given or withdrawn, or the"
        " record changed), so this file is not what was confirmed. The release is back with the therapist to review again."
    ),
    "file_expired": (
        "This file was kept for a limited time and has been deleted. Open the release and download it again while it"
        " is still confirmed."
    ),
}


class Refused(Exception):
    """Nothing of the release may be handed out; `reason` is a key of REFUSALS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def words(self) -> str:
        return REFUSALS[self.reason]


def contents_of(release: Release) -> Contents:
    """The release's contents, built in its document's language (the words its files carry)."""
    options = {**release.options, "purpose": release.purpose_text}
    with language.speaking(language.bare(release.options.get("language"))):
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
    elif authorization is not None:
        # Consent is bound to who receives it: the recipient is the one the authorization names, never typed.
        if recipient_name.strip() and fold_name(recipient_name) != fold_name(authorization.recipient_label):
            raise ValueError("the recipient is not the one the authorization names")
        recipient_name = authorization.recipient_label
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
    *, release: Release, part: str, reason: str, by, passage: str = "", occurrence: int = 0, request=None
) -> Redaction:
    """Leave a passage (`passage`, its `occurrence`) of a text out of the release; without a passage, leave the
    structured item `part` out whole. Either reaches every file of the release."""
    whole = not passage
    redaction = Redaction.objects.create(
        release=release,
        kind=Redaction.Kind.ITEM if whole else Redaction.Kind.PASSAGE,
        part=part,
        passage=passage,
        occurrence=occurrence,
        reason=reason.strip(),
        redacted_by=by,
    )
    detail = {"release": str(release.code), "part": part}
    detail.update({"whole": True} if whole else {"occurrence": occurrence})
    record(
        action=Action.RELEASE_REDACTED, request=request, actor=by, target=release, client=release.client, detail=detail
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
        release.relied_on.set(contents.relied_on)
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


def _relied_on_still_holds(release: Release) -> str:
    """Why an authorization the confirmed release relied on no longer stands; empty while every one still does."""
    today = timezone.localdate()
    for authorization in release.relied_on.all():
        if authorization.is_revoked:
            return "withdrawn"
        if authorization.superseded_at is not None:
            return "replaced"
        if not authorization.is_in_force(today):
            return "expired"
        if not names_recipient(authorization, release):
            return "recipient"
    return ""


def checked_contents(release: Release, *, stored_fingerprint: str | None = None) -> Contents:
    """The contents of a confirmed release, if it may still leave as confirmed; otherwise Refused.

    `stored_fingerprint` is what a stored file was made from (None: the file is made now). A release whose
    authorizations or contents changed goes back to review.
    """
    if release.status == Release.Status.CANCELLED:
        raise Refused("cancelled")
    if release.status != Release.Status.CONFIRMED:
        raise Refused("not_confirmed")
    reason = _relied_on_still_holds(release)
    contents = contents_of(release)
    if not reason and contents.fingerprint != release.confirmed_fingerprint:
        reason = "changed"
    if reason:
        release.reopen()
        raise Refused(reason)
    if stored_fingerprint is not None and stored_fingerprint != release.confirmed_fingerprint:
        # A file made for an earlier confirmation of this release.
        raise Refused("changed")
    return contents


def hand_out(
    *,
    release: Release,
    by,
    make: Callable[[Contents], tuple[bytes, str]],
    stored_fingerprint: str | None = None,
    request: HttpRequest | None = None,
) -> tuple[bytes, str]:
    """The one gate for a release's bytes: checked now, then handed out and accounted for once.

    `make(contents)` gives the file: made now from the checked contents, or a stored file's bytes (then
    `stored_fingerprint` says what it was made from). The first hand-out is the release's one
    accounting-of-disclosure row; later ones are plain audit events. A refusal hands out nothing, is recorded,
    and raises Refused.
    """
    refused = None
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        try:
            contents = checked_contents(release, stored_fingerprint=stored_fingerprint)
        except Refused as refusal:
            refused = refusal
            refuse(release=release, reason=refusal.reason, by=by, request=request)
        else:
            data, filename = make(contents)
            first = Release.objects.filter(pk=release.pk, disclosed_at__isnull=True).update(disclosed_at=timezone.now())
            record(
                action=Action.RELEASE_DOWNLOADED if first else Action.RELEASE_DOWNLOADED_AGAIN,
                request=request,
                actor=by,
                target=release,
                client=release.client,
                detail=_detail(release, **_counts(contents)),
            )
    if refused is not None:
        raise refused
    return data, filename


def refuse(*, release: Release, reason: str, by, request: HttpRequest | None = None) -> None:
    """Record a refused hand-out (nothing was handed out): which release and why, never content."""
    record(
        action=Action.RELEASE_REFUSED,
        request=request,
        actor=by,
        target=release,
        client=release.client,
        detail={"release": str(release.code), "reason": reason},
    )
