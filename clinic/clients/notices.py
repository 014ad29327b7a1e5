"""Telling a client, outside the app, that something waits for them: in neutral words, through safe channels only.

A notice says nothing about what is waiting (an exercise, a questionnaire, a
plan): the inbox, or a phone's lock screen, may be read by someone else. It is
sent only when the client marked email as safe and gave an address, and only
once the change that prompted it is saved (a rolled-back assignment sends
nothing). Later channels (text messages) go through here too.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy

from clinic.clients.models import Client
from clinic.lib import language

SOMETHING_NEW_SUBJECT = gettext_lazy("You have something new from your practice")


def sign_in_link(request: HttpRequest | None) -> str:
    """The sign-in page's address: from the request, else SITE_URL, else none."""
    path = reverse("login")
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path if settings.SITE_URL else ""


def notify_something_new(*, client: Client, request: HttpRequest | None) -> bool:
    """Email `client` "You have something new from your practice" on commit, if email is safe. True if it will be sent."""
    if not (client.may_email and client.email):
        return False
    with language.speaking(client.language):
        body = render_to_string("clients/email/something_new.txt", {"link": sign_in_link(request)})
        subject = str(SOMETHING_NEW_SUBJECT)
    address = client.email
    transaction.on_commit(lambda: send_mail(subject=subject, message=body, from_email=None, recipient_list=[address]))
    return True
