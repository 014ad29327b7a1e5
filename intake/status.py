"""What staff see of a client's onboarding on the case page: invitation, account and intake."""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from clinic.clients.models import Client
from intake.models import Intake, Invitation


@dataclass
class Onboarding:
    client: Client
    invitation: Invitation | None
    intake: Intake | None

    @property
    def label(self) -> str:
        if self.intake is not None and self.intake.is_submitted:
            return "Intake submitted"
        if self.intake is not None:
            return "Intake in progress"
        if self.client.user_id:
            return "Account set up; intake not started"
        if self.invitation is not None and self.invitation.state == "open":
            return "Invited"
        return "Not invited yet"


def onboarding(client: Client) -> Onboarding:
    """Uses prefetched `invitations` and select_related `intake` when present (no extra queries)."""
    try:
        intake = client.intake
    except ObjectDoesNotExist:
        intake = None
    invitations = list(client.invitations.all())
    return Onboarding(client=client, invitation=invitations[0] if invitations else None, intake=intake)
