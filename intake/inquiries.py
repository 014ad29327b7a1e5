"""The public "Get started" form and the admins' triage of what it brings in."""

import contextlib
import ipaddress
import logging
import re
import secrets
import time
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role
from clinic.appointments.consultations import (
    TAKEN,
    SlotTaken,
    ask_to_confirm,
    for_admin,
    label_with_zone,
    release_for,
    slot_choices,
    take,
    zone_place,
)
from clinic.appointments.models import ConsultationSlot, SlotStatus
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


def sender(address: str) -> str:
    """Who sent it, as far as the limits are concerned: the IPv4 address, or the IPv6 /64 network.

    One home or office is given a whole IPv6 /64 and can pick any address in it, so counting single
    IPv6 addresses would count nothing.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def ip_hash(request: HttpRequest) -> str:
    """A keyed hash of the sender's address: enough to count, not enough to recover it without the key.

    The key is derived from SECRET_KEY for this use alone. No address is stored, and the hash is blanked
    once no limit needs it (InquiryQuerySet.forget_addresses).
    """
    return salted_hmac("fulcrum.inquiry-sender", sender(client_ip(request) or ""), algorithm="sha256").hexdigest()


def form_token(opened_at: float) -> str:
    """The signed timing token of one opened form: when it was opened, and a nonce that makes it that form's own
    (each opened form is kept once, and two people opening the page at the same instant are two forms)."""
    return signing.dumps([opened_at, secrets.token_urlsafe(9)], salt=_SIGNER_SALT)


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
            self.initial["started"] = form_token(time.time())
        self.consultation_choices = slot_choices()
        self.zone_place = zone_place()

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
        try:
            # [opened at, nonce]; a plain number from a page opened before forms carried a nonce.
            opened = float(started[0] if isinstance(started, list) else started)
        except (TypeError, ValueError, IndexError):
            return True
        return time.time() - opened < MINIMUM_SECONDS

    def token_hash(self) -> str:
        return Inquiry.hash_token(self.data.get("started", ""))

    def sent_before(self) -> bool:
        """This opened form has been sent already (a double click, or a script sending one form again and again)."""
        return Inquiry.objects.filter(form_token_hash=self.token_hash()).exists()

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
    Inquiry.objects.forget_addresses(now=timezone.now(), counted_since=since)
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
    inquiry.form_token_hash = form.token_hash()
    # Kept whether or not a time is held for it: the admin offers it, or another, all the same.
    inquiry.consultation_at = form.cleaned_data["consultation"]
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


# What the thank-you page names: the time asked for and the way it will be confirmed (shown once).
ASKED_KEY = "consultation_asked"


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
            fresh["started"] = form_token(time.time() - MINIMUM_SECONDS)
            form = InquiryForm(fresh)
            form.is_valid()
            form.add_error(None, _("This page was open for a long time. Check your message and press Send again."))
            return render(request, "intake/inquiry_start.html", {"form": form})
        # An invalid form is shown again with what was typed: it counts towards no limit and says nothing of one.
        if form.is_valid():
            if form.sent_before():
                # The same opened form again: thanked alike, kept once.
                return redirect("inquiry_thanks")
            try:
                with transaction.atomic():
                    inquiry = receive(form=form, request=request)
                    # The one gate: a time is kept from others only as its rules allow, and the visitor is answered
                    # alike either way (clinic.appointments.consultations).
                    if inquiry is not None and take(inquiry=inquiry, to=SlotStatus.PENDING):
                        ask_to_confirm(inquiry=inquiry, request=request)
            except SlotTaken:
                form = InquiryForm(request.POST)
                form.is_valid()
                form.add_error("consultation", TAKEN)
                return render(request, "intake/inquiry_start.html", {"form": form})
            except IntegrityError:
                # The same opened form sent twice at the same moment: the other one was kept.
                if not form.sent_before():
                    raise
                return redirect("inquiry_thanks")
            chosen = form.cleaned_data["consultation"]
            if chosen:
                request.session[ASKED_KEY] = {"at": chosen.isoformat(), "by": form.cleaned_data["contact_method"]}
            else:
                request.session.pop(ASKED_KEY, None)
            return redirect("inquiry_thanks")
    return render(request, "intake/inquiry_start.html", {"form": form})


def _asked(value) -> dict | None:
    """The time and way the thank-you page names, from what Get started kept in the session."""
    try:
        when = datetime.fromisoformat(value["at"])
        by = Inquiry.ContactMethod(value["by"])
    except (KeyError, TypeError, ValueError):
        return None
    return {"when": label_with_zone(when), "by": by}


@login_not_required
@require_GET
def inquiry_thanks(request: HttpRequest) -> HttpResponse:
    # Read once: a device used by others afterwards does not keep it.
    asked = _asked(request.session.pop(ASKED_KEY, None))
    return render(request, "intake/inquiry_thanks.html", {"asked": asked})


# token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-].
CONFIRM_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _confirmed_state(inquiry: Inquiry, now: datetime) -> str:
    """After the visitor confirmed: "done" unless someone else has the time now ("taken").

    A time the rules did not keep for them (their address keeps enough already) but that is still free reads
    "done", as a held one does: the admin books it, or finds another, in the way they chose.
    """
    theirs = ConsultationSlot.objects.filter(inquiry=inquiry, status__in=[SlotStatus.HELD, SlotStatus.CONFIRMED])
    free = ConsultationSlot.objects.free(now).filter(starts_at=inquiry.consultation_at, therapist__is_active=True)
    return "done" if theirs.exists() or free.exists() else "taken"


@login_not_required
@require_http_methods(["GET", "POST"])
def consultation_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent by email or text. Pressing Confirm holds the chosen time; opening the link changes nothing
    (mail scanners open links)."""
    inquiry = None
    if CONFIRM_TOKEN.match(token):
        inquiry = Inquiry.objects.filter(confirm_token_hash=Inquiry.hash_token(token)).first()
    if inquiry is None or inquiry.consultation_at is None:
        raise Http404
    now = timezone.now()
    context = {"when": label_with_zone(inquiry.consultation_at), "by": inquiry.contact_method}
    if inquiry.consultation_at <= now or inquiry.status == Inquiry.Status.CLOSED:
        return render(request, "intake/consultation_confirm.html", {**context, "state": "gone"}, status=410)
    if request.method == "POST":
        with transaction.atomic():
            # Taken meanwhile by someone else: the page says so, and the admin finds them another time.
            with contextlib.suppress(SlotTaken):
                take(inquiry=inquiry, to=SlotStatus.HELD, now=now)
            first = Inquiry.objects.filter(pk=inquiry.pk, contact_confirmed_at__isnull=True)
            if first.update(contact_confirmed_at=now):
                record(action=Action.CONSULTATION_LINK_USED, target=inquiry)
        inquiry.refresh_from_db()
    state = "ask" if inquiry.contact_confirmed_at is None else _confirmed_state(inquiry, now)
    return render(request, "intake/consultation_confirm.html", {**context, "state": state})


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
        "consultation": for_admin(inquiry),
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
            "consultation": for_admin(inquiry),
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
