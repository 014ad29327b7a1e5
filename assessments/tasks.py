"""Telling the treating therapist about an urgent flag, outside the app, on the task queue.

The email is neutral on purpose: it may be read on a shared screen or a
phone's lock screen. No client name, no case, no words about what happened:
only that something needs attention, and a link to sign in.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from assessments.models import RiskFlag
from clinic.accounts.models import User
from clinic.audit.events import record
from clinic.audit.models import Action

logger = logging.getLogger(__name__)

FLAG_NOTICE_SUBJECT = "Something in Fulcrum needs your attention"


def sign_in_link(request: HttpRequest | None) -> str:
    """The dashboard's address (the sign-in page leads there): from the request, else SITE_URL, else none."""
    path = reverse("dashboard")
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path if settings.SITE_URL else ""


def treating_therapists(flag: RiskFlag):
    """The primary therapist of each case the flagged client belongs to; nobody else."""
    return User.objects.therapists().filter(primary_cases__clients=flag.client).exclude(email="").distinct()


@task()
def notify_urgent_flag(flag_id: int, link: str = "") -> None:
    """Email the treating therapist once per flag; a second delivery or a retry sends nothing.

    The row is locked and marked in the same transaction as the send: a send
    that fails leaves it unmarked for a retry, and a second worker waits, then
    finds it marked.
    """
    with transaction.atomic():
        flag = (
            RiskFlag.objects.select_for_update()
            .filter(pk=flag_id, severity=RiskFlag.Severity.URGENT, notified_at__isnull=True)
            .select_related("client")
            .first()
        )
        if flag is None:
            logger.info("flag notice %s: already sent or not needed", flag_id)
            return
        recipients = list(treating_therapists(flag))
        if not recipients:
            logger.warning("flag notice %s: no active treating therapist with an email address", flag_id)
        body = render_to_string("assessments/email/flag_notice.txt", {"link": link})
        for therapist in recipients:
            send_mail(subject=FLAG_NOTICE_SUBJECT, message=body, from_email=None, recipient_list=[therapist.email])
        flag.notified_at = timezone.now()
        flag.save(update_fields=["notified_at"])
        for therapist in recipients:
            record(action=Action.FLAG_NOTIFIED, target=flag, client=flag.client, detail={"to": str(therapist.code)})


@task()
def assign_rescreenings() -> int:
    """Assign every questionnaire due again (see assessments.rescreening); running it twice assigns nothing more."""
    from assessments.rescreening import assign_due

    assigned = assign_due()
    logger.info("rescreening: %s questionnaire(s) assigned", assigned)
    return assigned
