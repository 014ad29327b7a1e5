"""The one function everyone calls to leave an audit event."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from clinic.audit.models import Action, AuditEvent
from clinic.lib.http import client_ip, user_agent


def record(
    *,
    action: Action,
    request: HttpRequest | None = None,
    actor: Any = None,
    target: models.Model | None = None,
    client: Any = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Record that `actor` (default: the request's user) did `action`.

    `target` is the record acted on; `client` the person whose record it is,
    where there is one. `detail` holds identifiers and options, never
    clinical text.
    """
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    target_type = target_id = ""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(getattr(target, "code", None) or target.pk)
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "",
        target_type=target_type,
        target_id=target_id,
        client=client,
        ip=client_ip(request) if request is not None else None,
        user_agent=user_agent(request) if request is not None else "",
        detail=detail or {},
    )
