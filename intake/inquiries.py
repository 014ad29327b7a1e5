"""The public "Get started" form and the admins' triage of what it brings in."""

import hashlib
import hmac
import logging
import time
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role
from clinic.appointments.consultations import TAKEN, SlotTaken, hold, release_for, slot_choices
from clinic.appointments.models import ConsultationSlot
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.cases import open_case
from clinic.clients.forms import CaseForm, ClientForm, case_forms_valid, case_people
from clinic.clients.models import Case
from clinic.lib import language
from clinic.lib.http import client_ip, posted
from clinic.lib.phones import normalize_phone, phone_help
from intake.invitations import send_invitation
from intake.models import Inquiry

# A person takes longer than this to fill the form; scripts do not.
MINIMUM_SECONDS = 3
# A form older than this is shown again with what was typed, to be sent once more.
STALE_AFTER = 24 * 3600
_SIGNER_SALT = "inquiry-form-started"

logger = logging.getLogger(__name__)


def ip_hash(request: HttpRequest) -> str:
    """A keyed hash of the sender's address: enough to count, not enough to recover it."""
    address = client_ip(request) or ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


class InquiryForm(forms.ModelForm):
    # Hidden from people by CSS; bots fill every field.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # A free first consultation at a time a therapist published (clinic.appointments.consultations).
    consultation = forms.CharField(required=False, label=_("A time for a free 20-minute first conversation (optional)"))

    class Meta:
        model = Inquiry
        fields = [
            "name",
            "contact_method",
            "contact_value",
            "may_leave_message",
            "message",
            "preferred_times",
            "consent_to_contact",
        ]
        labels = {
            "name": _("Your name, or a name we can use"),
            "contact_method": _("The safest way to reach you"),
            "contact_value": _("Phone number or email address"),
            "may_leave_message": _("You may leave a message if I do not answer"),
            "message": _("A few lines about what brings you"),
            "preferred_times": _("Good times to reach you (optional)"),
            "consent_to_contact": _("I agree to be contacted in the way I chose above"),
        }
        help_texts = {
            "name": _("It does not have to be your full name."),
            "contact_value": format_lazy(_("A phone number or an email address. {}"), lazy(phone_help, str)()),
            "message": _("Only what you are comfortable sharing here. Up to 2000 characters."),
        }
        widgets = {
            "contact_method": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "name": {"required": _("Tell us a name we can use for you.")},
            "contact_method": {"required": _("Choose how we may reach you.")},
            "contact_value": {"required": _("Give the phone number or email address we should use.")},
            "message": {
                "required": _("Write a few words about what brings you."),
                "max_length": _("Please keep this under 2000 characters (it has %(show_value)d)."),
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_method"].choices = Inquiry.ContactMethod.choices
        self.fields["consent_to_contact"].required = True
        self.fields["consent_to_contact"].error_messages["required"] = _("Tick the box so we may contact you.")
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=_SIGNER_SALT)
        self.consultation_choices = slot_choices()

    def clean_consultation(self):
        value = (self.cleaned_data.get("consultation") or "").strip()
        if not value:
            return None
        try:
            chosen = datetime.fromisoformat(value)
        except ValueError:
            chosen = None
        offered = {datetime.fromisoformat(iso) for iso, _ in self.consultation_choices}
        if chosen is None or chosen.tzinfo is None or chosen not in offered:
            raise forms.ValidationError(TAKEN)
        return chosen

    def clean(self) -> dict:
        data = super().clean()
        method, value = data.get("contact_method"), (data.get("contact_value") or "").strip()
        if method == Inquiry.ContactMethod.EMAIL and value:
            try:
                forms.EmailField().clean(value)
            except forms.ValidationError:
                self.add_error("contact_value", _("Enter an email address like name@example.com."))
        elif method in (Inquiry.ContactMethod.PHONE, Inquiry.ContactMethod.TEXT) and value:
            try:
                value = normalize_phone(value)
            except forms.ValidationError as error:
                self.add_error("contact_value", error)
        data["contact_value"] = value
        return data

    def looks_automated(self) -> bool:
        """A filled honeypot, or a form sent faster than a person could, or with a forged start time."""
        if self.data.get("website"):
            return True
        try:
            started = signing.loads(self.data.get("started", ""), salt=_SIGNER_SALT)
        except signing.BadSignature:
            return True
        return time.time() - float(started) < MINIMUM_SECONDS

    def stale(self) -> bool:
        """Opened more than a day ago: sent by a person who waited for a safe moment, so ask once more."""
        try:
            signing.loads(self.data.get("started", ""), salt=_SIGNER_SALT, max_age=STALE_AFTER)
        except signing.SignatureExpired:
            return True
        except signing.BadSignature:
            return False
        return False


SESSION_KEY = "inquiries_sent_at"


def receive(*, form: InquiryForm, request: HttpRequest) -> Inquiry | None:
    """Keep a valid message: open, or held for review when over a limit. The work is the same either way.

    The sender is thanked alike whatever happens here, so nobody sharing their
    connection or device can tell from the answer that someone else wrote.
    Returns None only past the held cap (a flood), when nothing is kept.
    """
    now = time.time()
    address = ip_hash(request)
    since = timezone.now() - timedelta(hours=1)
    counts = Inquiry.objects.filter(received_at__gte=since).aggregate(
        total=Count("id"),
        from_address=Count("id", filter=Q(ip_hash=address)),
        held=Count("id", filter=~Q(held_reason="")),
    )
    in_session = [t for t in request.session.get(SESSION_KEY, []) if isinstance(t, float) and t > now - 3600]
    reason = ""
    if counts["from_address"] >= settings.INQUIRY_LIMIT_PER_HOUR:
        reason = Inquiry.HeldReason.ADDRESS
    elif len(in_session) >= settings.INQUIRY_SESSION_LIMIT_PER_HOUR:
        reason = Inquiry.HeldReason.SESSION
    elif counts["total"] >= settings.INQUIRY_GLOBAL_LIMIT_PER_HOUR:
        reason = Inquiry.HeldReason.GLOBAL
    # Written on every kept message, so that the answer's cookies are the same whether it was held or not.
    request.session[SESSION_KEY] = [*in_session, now]
    if reason and counts["held"] >= settings.INQUIRY_HELD_LIMIT_PER_HOUR:
        logger.warning("inquiry form: %s held in the last hour; this one was not kept", counts["held"])
        return None
    inquiry = form.save(commit=False)
    inquiry.ip_hash = address
    inquiry.language = language.current()
    if reason:
        inquiry.status, inquiry.held_reason = Inquiry.Status.HELD, reason
    inquiry.save()
    # No request here: the audit row would keep the sender's address, which we promise not to store.
    if reason:
        record(action=Action.INQUIRY_HELD, target=inquiry, detail={"reason": reason})
    else:
        record(action=Action.INQUIRY_RECEIVED, target=inquiry)
    return inquiry


@login_not_required
@require_http_methods(["GET", "POST"])
def inquiry_start(request: HttpRequest) -> HttpResponse:
    form = InquiryForm(posted(request))
    if request.method == "POST":
        if form.looks_automated():
            # A filled honeypot or a form sent faster than a person could: thanked alike, nothing kept.
            return redirect("inquiry_thanks")
        if form.stale():
            fresh = request.POST.copy()
            fresh["started"] = signing.dumps(time.time() - MINIMUM_SECONDS, salt=_SIGNER_SALT)
            form = InquiryForm(fresh)
            form.is_valid()
            form.add_error(None, _("This page was open for a long time. Check your message and press Send again."))
            return render(request, "intake/inquiry_start.html", {"form": form})
        # An invalid form is shown again with what was typed: it counts towards no limit and says nothing of one.
        if form.is_valid():
            try:
                with transaction.atomic():
                    inquiry = receive(form=form, request=request)
                    if inquiry is not None and form.cleaned_data["consultation"]:
                        hold(starts_at=form.cleaned_data["consultation"], inquiry=inquiry)
            except SlotTaken:
                form = InquiryForm(request.POST)
                form.is_valid()
                form.add_error("consultation", TAKEN)
                return render(request, "intake/inquiry_start.html", {"form": form})
            return redirect("inquiry_thanks")
    return render(request, "intake/inquiry_start.html", {"form": form})


@login_not_required
@require_GET
def inquiry_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/inquiry_thanks.html")


# Triage (practice admins)


@role_required(Role.ADMIN)
@require_GET
def inquiry_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Inquiry.Status.OPEN)
    if status not in Inquiry.Status.values:
        status = Inquiry.Status.OPEN
    oldest_first = status in (Inquiry.Status.OPEN, Inquiry.Status.HELD)
    inquiries = Inquiry.objects.filter(status=status).order_by("received_at" if oldest_first else "-received_at")
    context = {
        "inquiries": inquiries,
        "status": status,
        "statuses": Inquiry.Status,
        "now": timezone.now(),
        "held_count": Inquiry.objects.filter(status=Inquiry.Status.HELD).count(),
    }
    return render(request, "intake/inquiry_list.html", context)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason"), *Inquiry.CloseReason.choices],
        error_messages={"required": "Choose why you are closing it."},
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Keep the note under 500 characters (it has %(show_value)d)."},
    )


def _prefill(inquiry: Inquiry) -> dict:
    method = inquiry.contact_method
    by_phone = method in (Inquiry.ContactMethod.PHONE, Inquiry.ContactMethod.TEXT)
    return {
        "full_name": inquiry.name,
        "email": inquiry.contact_value if method == Inquiry.ContactMethod.EMAIL else "",
        "phone": inquiry.contact_value if by_phone else "",
        "may_email": method == Inquiry.ContactMethod.EMAIL,
        "may_call": method == Inquiry.ContactMethod.PHONE,
        "may_text": method == Inquiry.ContactMethod.TEXT,
        "may_leave_voicemail": method == Inquiry.ContactMethod.PHONE and inquiry.may_leave_message,
        # The language they wrote in is the first choice for their pages and messages.
        "language": inquiry.language,
    }


@role_required(Role.ADMIN)
@require_GET
def inquiry_detail(request: HttpRequest, code) -> HttpResponse:
    inquiry = get_object_or_404(Inquiry.objects.all(), code=code)
    record(action=Action.INQUIRY_VIEWED, request=request, target=inquiry)
    context = {
        "inquiry": inquiry,
        "consultation": ConsultationSlot.objects.filter(inquiry=inquiry).select_related("therapist").first(),
        "close_form": CloseForm(),
        "form": CaseForm(initial={"kind": Case.Kind.INDIVIDUAL}),
        "first": ClientForm(prefix="first", initial=_prefill(inquiry)),
        "second": ClientForm(prefix="second"),
    }
    return render(request, "intake/inquiry_detail.html", context)


@role_required(Role.ADMIN)
@require_POST
def inquiry_convert(request: HttpRequest, code) -> HttpResponse:
    """Open a case from an inquiry and invite the person who wrote in."""
    inquiry = get_object_or_404(Inquiry.objects.all(), code=code)
    if inquiry.status != Inquiry.Status.OPEN:
        messages.info(request, "This inquiry has already been dealt with.")
        return redirect("inquiry_detail", code=inquiry.code)
    form, first, second = (
        CaseForm(request.POST),
        ClientForm(request.POST, prefix="first"),
        ClientForm(request.POST, prefix="second"),
    )
    if not case_forms_valid(form, first, second):
        context = {
            "inquiry": inquiry,
            "consultation": ConsultationSlot.objects.filter(inquiry=inquiry).select_related("therapist").first(),
            "close_form": CloseForm(),
            "form": form,
            "first": first,
            "second": second,
        }
        return render(request, "intake/inquiry_detail.html", context, status=200)
    with transaction.atomic():
        # Two admins converting at the same moment: the second waits here, then finds it converted.
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if inquiry.status != Inquiry.Status.OPEN:
            messages.info(request, "This inquiry has already been dealt with.")
            return redirect("inquiry_detail", code=inquiry.code)
        people = case_people(form, first, second)
        case = open_case(
            kind=form.cleaned_data["kind"],
            therapist=form.cleaned_data["primary_therapist"],
            clients=people,
            by=request.user,
            request=request,
        )
        client = case.clients.order_by("memberships__id").first()
        sent = send_invitation(client=client, by=request.user, request=request)
        inquiry.status, inquiry.case = Inquiry.Status.CONVERTED, case
        inquiry.closed_at, inquiry.closed_by = timezone.now(), request.user
        inquiry.save(update_fields=["status", "case", "closed_at", "closed_by"])
        record(action=Action.INQUIRY_CONVERTED, request=request, target=inquiry, detail={"case": str(case.code)})
    return render(request, "intake/invitation_created.html", {"client": client, "sent": sent, "case": case})


@role_required(Role.ADMIN)
@require_POST
def inquiry_close(request: HttpRequest, code) -> HttpResponse:
    inquiry = get_object_or_404(Inquiry.objects.all(), code=code)
    form = CloseForm(request.POST)
    if inquiry.status not in (Inquiry.Status.OPEN, Inquiry.Status.HELD):
        messages.info(request, "This inquiry has already been dealt with.")
    elif not form.is_valid():
        problems = " ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, f"Nothing was changed. {problems}")
    else:
        held = inquiry.is_held
        inquiry.status = Inquiry.Status.CLOSED
        inquiry.close_reason, inquiry.close_note = form.cleaned_data["reason"], form.cleaned_data["note"]
        inquiry.closed_at, inquiry.closed_by = timezone.now(), request.user
        inquiry.save(update_fields=["status", "close_reason", "close_note", "closed_at", "closed_by"])
        detail = {"reason": inquiry.close_reason, **({"was_held": True} if held else {})}
        record(action=Action.INQUIRY_CLOSED, request=request, target=inquiry, detail=detail)
        # A time it held goes back to the open ones.
        release_for(inquiry, by=request.user, request=request)
        messages.success(request, "Inquiry closed.")
        return redirect("inquiry_list")
    return redirect("inquiry_detail", code=inquiry.code)


@role_required(Role.ADMIN)
@require_POST
def inquiry_release(request: HttpRequest, code) -> HttpResponse:
    """Accept a held inquiry after review: it joins the open ones, to be answered like any other."""
    inquiry = get_object_or_404(Inquiry.objects.all(), code=code)
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if not inquiry.is_held:
            messages.info(request, "This inquiry is not held for review; nothing was changed.")
            return redirect("inquiry_detail", code=inquiry.code)
        inquiry.status = Inquiry.Status.OPEN
        inquiry.released_at, inquiry.released_by = timezone.now(), request.user
        inquiry.save(update_fields=["status", "released_at", "released_by"])
        record(action=Action.INQUIRY_RELEASED, request=request, target=inquiry)
    messages.success(request, "Accepted: the inquiry is now with the open ones.")
    return redirect("inquiry_detail", code=inquiry.code)
