"""Signing, recording and revoking release authorizations; each one audited against the authorizing client."""

from django.db import transaction
from django.http import HttpRequest

from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.releases.models import Method, ReleaseAuthorization


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
    """Save a new authorization (validated by full_clean) and audit it as signed online or recorded from paper."""
    if authorization.method == Method.PAPER:
        authorization.recorded_by = by
    authorization.full_clean()
    authorization.save()
    action = (
        Action.RELEASE_AUTHORIZED if authorization.method == Method.PORTAL else Action.RELEASE_AUTHORIZATION_RECORDED
    )
    record(
        action=action,
        request=request,
        actor=by,
        target=authorization,
        client=authorization.authorizing_client,
        detail=_detail(authorization),
    )
    return authorization


def revoke(*, authorization: ReleaseAuthorization, by, reason: str = "", request: HttpRequest | None = None) -> bool:
    revoked = authorization.revoke(by=by, reason=reason)
    if revoked:
        record(
            action=Action.RELEASE_AUTHORIZATION_REVOKED,
            request=request,
            actor=by,
            target=authorization,
            client=authorization.authorizing_client,
            detail={"authorization": str(authorization.code), "by_client": by == authorization.authorizing_client.user},
        )
    return revoked
