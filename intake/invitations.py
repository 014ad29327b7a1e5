"""Inviting a client: create, deliver, resend, revoke and accept single-use links."""

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from clinic.accounts.models import Role, User
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Client
from clinic.lib import language
from intake.models import Invitation

# token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-].
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass
class SentInvitation:
    invitation: Invitation
    link: str
    emailed: bool


def _link(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("invitation_accept", kwargs={"token": token}))


@transaction.atomic
def send_invitation(*, client: Client, by: User, request: HttpRequest) -> SentInvitation:
    """Create a fresh link for `client` (any earlier open link dies) and deliver it.

    It is emailed only when the client's email is marked safe; otherwise the
    link is returned for staff to hand over in person. The link is shown
    once: only its hash is kept.
    """
    now = timezone.now()
    for old in Invitation.objects.select_for_update().filter(client=client).open():
        old.revoked_at, old.revoked_by = now, by
        old.save(update_fields=["revoked_at", "revoked_by"])
    token = secrets.token_urlsafe(32)
    emailed = bool(client.may_email and client.email)
    invitation = Invitation.objects.create(
        client=client,
        token_hash=Invitation.hash_token(token),
        delivery=Invitation.Delivery.EMAIL if emailed else Invitation.Delivery.IN_PERSON,
        created_by=by,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    # The link and the message in the client's language: /es/welcome/... opens the page in Spanish.
    with language.speaking(client.language):
        link = _link(request, token)
        subject = gettext("Set up your account")
        message = render_to_string("intake/email/invitation.txt", {"link": link, "expires_at": invitation.expires_at})
    record(
        action=Action.INVITATION_SENT,
        request=request,
        actor=by,
        target=invitation,
        client=client,
        detail={"delivery": invitation.delivery},
    )
    if emailed:
        # Neutral words, a generic sender, nothing about care: a shared inbox may be read by others.
        transaction.on_commit(
            lambda: send_mail(
                subject=subject,
                message=message,
                from_email=None,
                recipient_list=[client.email],
            )
        )
    return SentInvitation(invitation=invitation, link=link, emailed=emailed)


def revoke_invitation(*, invitation: Invitation, by: User, request: HttpRequest) -> bool:
    if invitation.state not in ("open", "expired", "limited"):
        return False
    invitation.revoked_at, invitation.revoked_by = timezone.now(), by
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    record(action=Action.INVITATION_REVOKED, request=request, actor=by, target=invitation, client=invitation.client)
    return True


def find_invitation(token: str) -> tuple[Invitation | None, str]:
    """The invitation for `token` and its state: open, used, revoked, expired or unknown."""
    if not TOKEN_PATTERN.match(token or ""):
        return None, "unknown"
    invitation = Invitation.objects.select_related("client").filter(token_hash=Invitation.hash_token(token)).first()
    if invitation is None:
        return None, "unknown"
    return invitation, invitation.state


def try_invitation(invitation: Invitation, *, request: HttpRequest) -> bool:
    """Count one try at the link's form; False once it has had INVITATION_ATTEMPTS (the link then stops working).

    Counted before the form is looked at, in one UPDATE, so parallel requests cannot get past the limit.
    """
    claimed = Invitation.objects.filter(
        pk=invitation.pk, limited_at__isnull=True, attempts__lt=settings.INVITATION_ATTEMPTS
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        limit_invitation(invitation, request=request)
    return bool(claimed)


def tries_used_up(invitation: Invitation) -> bool:
    return Invitation.objects.filter(pk=invitation.pk, attempts__gte=settings.INVITATION_ATTEMPTS).exists()


def limit_invitation(invitation: Invitation, *, request: HttpRequest) -> None:
    """The link stops working; recorded once."""
    stopped = Invitation.objects.filter(pk=invitation.pk, limited_at__isnull=True, used_at__isnull=True).update(
        limited_at=timezone.now()
    )
    if stopped:
        record(
            action=Action.INVITATION_LIMITED,
            request=request,
            target=invitation,
            client=invitation.client,
            detail={"attempts": settings.INVITATION_ATTEMPTS},
        )


class InvitationUnusable(Exception):
    def __init__(self, state: str) -> None:
        self.state = state


@transaction.atomic
def accept_invitation(*, token: str, username: str, password: str, request: HttpRequest) -> User:
    """Use the link once: create the client's login and mark the link used."""
    found, state = find_invitation(token)
    if found is None or state != "open":
        raise InvitationUnusable(state)
    invitation = Invitation.objects.select_for_update().select_related("client").get(pk=found.pk)
    if invitation.state != "open":
        raise InvitationUnusable(invitation.state)
    client = invitation.client
    if client.user_id is not None:
        raise InvitationUnusable("used")
    first, _, last = client.full_name.partition(" ")
    user = User(username=username, role=Role.CLIENT, first_name=first[:150], last_name=last[:150])
    user.set_password(password)
    user.save()
    client.user = user
    client.save(update_fields=["user"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record(action=Action.INVITATION_ACCEPTED, request=request, actor=user, target=invitation, client=client)
    return user
