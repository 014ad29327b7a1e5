"""Asking for a new password: by sign-in name or email, answered the same way whatever happens.

A client's link goes only to the address the client marked safe (Client.email
while may_email is on), decided when the message is sent; never to the email
on the login, which may be an old or shared one. Staff links go to the staff
email. The request does the same work every time (one lookup, one audit row,
one queued task); the task, on the worker, decides whether anything is sent.
"""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_tasks import task

from clinic.accounts.models import STAFF_ROLES, Role, User
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.lib import language
from clinic.lib.http import posted


class ResetRequestForm(forms.Form):
    name_or_email = forms.CharField(
        label=_("Your sign-in name or email address"),
        max_length=254,
        help_text=_("If you share an email address with someone, use your sign-in name."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autofocus": True}),
        error_messages={
            "required": _("Enter the sign-in name you chose, or your email address."),
            "max_length": _("That is longer than any sign-in name or email address. Check what you typed."),
        },
    )


def find_login(name_or_email: str) -> int | None:
    """The one active login this names, or None: the same single query whether or not there is one.

    A sign-in name; a staff member's email; or a client's safe email (only
    while email is marked safe). An address shared by several logins names
    none of them, so nobody gets a link meant for someone else.
    """
    value = name_or_email.strip()
    found = list(
        User.objects.filter(is_active=True)
        .filter(
            Q(username__iexact=value)
            | Q(role__in=STAFF_ROLES, email__iexact=value)
            | Q(role=Role.CLIENT, client_profile__may_email=True, client_profile__email__iexact=value)
        )
        .values_list("pk", flat=True)[:2]
    )
    return found[0] if len(found) == 1 else None


def reset_address(user: User) -> str:
    """Where a reset link for `user` may go, or "" for nowhere."""
    if user.role != Role.CLIENT:
        return user.email
    profile = getattr(user, "client_profile", None)
    if profile is not None and profile.may_email and profile.email:
        return profile.email
    return ""


@task()
def send_password_reset(user_id: int | None, protocol: str, domain: str) -> None:
    """Send the link, if there is someone to send it to and a safe address for them (on the worker)."""
    if user_id is None:
        return
    user = User.objects.filter(pk=user_id, is_active=True).select_related("client_profile").first()
    if user is None:
        return
    address = reset_address(user)
    if not address:
        return
    context = {
        "protocol": protocol,
        "domain": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    # Neutral words only: the inbox may be read by someone else. A client reads it, and its link, in their language.
    profile = getattr(user, "client_profile", None)
    with language.speaking(profile.language if profile is not None else None):
        subject = render_to_string("accounts/email/password_reset_subject.txt").strip()
        message = render_to_string("accounts/email/password_reset.txt", context)
    send_mail(
        subject=subject,
        message=message,
        from_email=None,
        recipient_list=[address],
    )
    record(action=Action.PASSWORD_RESET_SENT, target=user, client=getattr(user, "client_profile", None))


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user_id = find_login(form.cleaned_data["name_or_email"])
        # Who asked and from where; not whom it named (that would differ between the two cases).
        record(action=Action.PASSWORD_RESET_REQUESTED, request=request)
        send_password_reset.enqueue(user_id, request.scheme, request.get_host())
        return redirect(reverse("password_reset_done"))
    return render(request, "accounts/password_reset.html", {"form": form})
