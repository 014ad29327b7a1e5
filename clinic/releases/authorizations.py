"""Signing, recording and withdrawing release authorizations; each one audited against the authorizing client.

Per client and recipient the newest authorization governs: a new one replaces the ones before it, and the same
authorization sent twice (a double click, two tabs) is kept once. Withdrawing withdraws every authorization the
client gave to that recipient.
"""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Client
from clinic.releases.models import Method, Release, ReleaseAuthorization
from clinic.releases.signals import stored_copies_void

# What makes two authorizations the same one, sent twice.
SAME = ("scope", "signed_on", "expires_on", "method")


def _detail(authorization: ReleaseAuthorization) -> dict:
    return {
        "authorization": str(authorization.code),
        "recipient_kind": authorization.recipient_kind,
        "scope": authorization.scope,
        "signed_on": authorization.signed_on.isoformat(),
        "expires_on": authorization.expires_on.isoformat(),
        "method": authorization.method,
    }


@transaction.atomic
def save_authorization(*, authorization: ReleaseAuthorization, by, request: HttpRequest | None = None):
    """Save a new authorization (validated by full_clean) and audit it as signed online or recorded from paper.

    Returns the authorization that stands: the one already saved when this is the same one sent again.
    """
    if authorization.method == Method.PAPER:
        authorization.recorded_by = by
    authorization.full_clean()
    # One at a time per authorizing client, so that two sends at once cannot both find nothing and both save.
    Client.objects.select_for_update().filter(pk=authorization.authorizing_client_id).first()
    earlier = ReleaseAuthorization.objects.to_recipient(authorization)
    standing = [a for a in earlier if not a.is_revoked and a.superseded_at is None]
    for existing in standing:
        if all(getattr(existing, name) == getattr(authorization, name) for name in SAME):
            return existing
    authorization.save()
    if standing:
        ReleaseAuthorization.objects.filter(pk__in=[a.pk for a in standing]).update(superseded_at=timezone.now())
        _void_copies_relying_on(standing, reason="replaced")
    action = (
        Action.RELEASE_AUTHORIZED if authorization.method == Method.PORTAL else Action.RELEASE_AUTHORIZATION_RECORDED
    )
    record(
        action=action,
        request=request,
        actor=by,
        target=authorization,
        client=authorization.authorizing_client,
        detail={**_detail(authorization), "replaces": len(standing)},
    )
    return authorization


@transaction.atomic
def revoke(*, authorization: ReleaseAuthorization, by, reason: str = "", request: HttpRequest | None = None) -> int:
    """Withdraw every authorization the client gave to this recipient; returns how many were still standing.

    The first withdrawal of each stands: a second request (a double click) changes nothing and records nothing.
    """
    revoked = []
    for each in ReleaseAuthorization.objects.to_recipient(authorization):
        if each.revoke(by=by, reason=reason):
            revoked.append(each)
            record(
                action=Action.RELEASE_AUTHORIZATION_REVOKED,
                request=request,
                actor=by,
                target=each,
                client=each.authorizing_client,
                detail={"authorization": str(each.code), "by_client": by == each.authorizing_client.user},
            )
    _void_copies_relying_on(revoked, reason="withdrawn")
    return len(revoked)


def _void_copies_relying_on(authorizations: list[ReleaseAuthorization], *, reason: str) -> None:
    """Stored files of releases that relied on these become unusable at once (the gate refuses them anyway)."""
    codes = [str(c) for c in Release.objects.filter(relied_on__in=authorizations).values_list("code", flat=True)]
    if codes:
        stored_copies_void.send(sender=ReleaseAuthorization, releases=sorted(set(codes)), reason=reason)
