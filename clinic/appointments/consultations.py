"""Free first consultations: therapists publish times, a visitor chooses one on Get started, it is confirmed.

Every change of who has a time goes through one gate, `take`:

- chosen on the form, the time is kept from others for CONSULTATION_CONFIRM_HOURS (pending);
- held once the visitor confirms it through the contact they gave (the link sent by email or text message);
- confirmed by an admin, who tells them the way they chose. An admin may also accept a choice directly: a
  phone request is confirmed that way, by a call.

A choice that nobody confirms in time lapses: the time is offered to everyone again (`SlotQuerySet.free`). One
address (an IPv6 /64, however many browsers it uses) keeps at most CONSULTATION_TIMES_PER_ADDRESS times from
others at once, and a message held for review keeps none; an admin may go past the cap. When such a rule leaves
the time open, nothing the visitor sees changes: the message is kept with the time it asked for, the answer and
the thank-you page are the ones everybody gets, and the admin sees why. Only "that time has just been taken",
which anyone could see on the page, is ever said.

The gate locks the address first and then the time's row, so requests sent at the same moment are served one
after another: two people choosing one time get one choice and one clear "just taken" (with everything they typed
still on the page), and one address sending many at once still keeps no more than its share.
"""

import secrets
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role
from clinic.appointments.booking import Slot, lock_calendar, problems_for
from clinic.appointments.forms import WHEN_FIELD
from clinic.appointments.models import ConsultationSlot, SlotStatus
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.lib import language
from clinic.lib.dates import show
from clinic.lib.fields import AsciiDateTimeField, WholeNumberField
from clinic.lib.forms import BootstrapBoundField
from clinic.lib.sms import send_text

# Times a visitor may choose: from this far ahead, up to this far.
EARLIEST = timedelta(hours=12)
LATEST = timedelta(days=28)
TAKEN = gettext_lazy(
    "That time has just been taken by someone else. Choose another time, or send without one; "
    "everything else you wrote is still here."
)
# The way a time goes, one step at a time; a step already made is not made again.
STEPS = (SlotStatus.PENDING, SlotStatus.HELD, SlotStatus.CONFIRMED)
RECORDED_AS = {
    SlotStatus.PENDING: Action.CONSULTATION_CHOSEN,
    SlotStatus.HELD: Action.CONSULTATION_HELD,
    SlotStatus.CONFIRMED: Action.CONSULTATION_CONFIRMED,
}


class SlotTaken(Exception):
    """The time asked for is not free for this inquiry: someone else has it, it was withdrawn, or it has passed."""


def label_at(starts_at: datetime) -> str:
    local = timezone.localtime(starts_at)
    return f"{show(local, 'l')}, {show(starts_at, 'DATE_FORMAT')}, {show(starts_at, 'TIME_FORMAT')}"


def label(slot: ConsultationSlot) -> str:
    return label_at(slot.starts_at)


def zone_place() -> str:
    """The practice's time zone as a place a visitor knows: "Los Angeles" for America/Los_Angeles."""
    return settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ")


def label_with_zone(starts_at: datetime) -> str:
    return gettext("%(when)s, %(place)s time") % {"when": label_at(starts_at), "place": zone_place()}


def open_slots(now: datetime | None = None):
    """The times Get started offers: the same list for everyone who opens the page at that moment."""
    now = now or timezone.now()
    return (
        ConsultationSlot.objects.free(now)
        .filter(
            starts_at__gte=now + EARLIEST,
            starts_at__lt=now + LATEST,
            therapist__is_active=True,
        )
        .order_by("starts_at", "id")
    )


def slot_choices(now: datetime | None = None) -> list[tuple[str, str]]:
    """Each open time once (two therapists free at 10:00 show as one 10:00)."""
    seen, choices = set(), []
    for slot in open_slots(now):
        if slot.starts_at in seen:
            continue
        seen.add(slot.starts_at)
        choices.append((slot.starts_at.isoformat(), label(slot)))
    return choices


def lock_address(address: str) -> None:
    """Serve one address's takes one after another, so that requests sent at once cannot each find room.

    PostgreSQL: a lock held to the end of the transaction, keyed by the address's hash (nothing is stored).
    SQLite lets one transaction write at a time.
    """
    if address and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(address[:15], 16)])


def kept_by_address(inquiry, now: datetime) -> int:
    """Times still to come that the inquiry's address keeps from others, besides the inquiry's own."""
    if not inquiry.ip_hash:
        return 0
    kept = ConsultationSlot.objects.taken(now).filter(inquiry__ip_hash=inquiry.ip_hash, starts_at__gt=now)
    return kept.exclude(inquiry=inquiry).count()


def may_keep(inquiry, *, by, now: datetime) -> bool:
    """Whether the rules let this inquiry keep a time from others now (an admin may go past the address's cap)."""
    if inquiry.status not in (inquiry.Status.OPEN, inquiry.Status.CONVERTED):
        return False
    return by is not None or kept_by_address(inquiry, now) < settings.CONSULTATION_TIMES_PER_ADDRESS


def take(
    *,
    inquiry,
    to: str,
    by=None,
    request: HttpRequest | None = None,
    detail: dict | None = None,
    now: datetime | None = None,
) -> ConsultationSlot | None:
    """Move the time the inquiry asked for to `to` (pending, held or confirmed). Call inside a transaction.

    Raises SlotTaken when the time is not free for this inquiry. Returns None, changing nothing, when a rule
    keeps the time open (the caller answers the visitor as if it had not: see the module's note), and the
    slot unchanged when it has already gone that far. `by` is the admin who accepts; None is the visitor.
    """
    now = now or timezone.now()
    if inquiry.consultation_at is None:
        return None
    if inquiry.consultation_at <= now:
        raise SlotTaken
    lock_address(inquiry.ip_hash)
    slot = ConsultationSlot.objects.select_for_update().filter(inquiry=inquiry).first()
    own = slot is not None
    if own and STEPS.index(slot.status) >= STEPS.index(to):
        return slot
    free = ConsultationSlot.objects.free(now).filter(starts_at=inquiry.consultation_at, therapist__is_active=True)
    # Whether the time is free is said before any rule is applied: it is what anyone sees on the page.
    if not own and not free.exists():
        raise SlotTaken
    if not may_keep(inquiry, by=by, now=now):
        return None
    if not own:
        # Locked only by a choice that may keep it, so that a refused one never makes another person's look taken.
        slot = free.order_by("id").select_for_update(skip_locked=True, of=("self",)).first()
        if slot is None:
            raise SlotTaken
    fields = ["status", "inquiry", "held_at"]
    if not own:
        slot.held_at = now
    slot.status, slot.inquiry = to, inquiry
    if to == SlotStatus.CONFIRMED:
        slot.confirmed_at, slot.confirmed_by = now, by
        fields += ["confirmed_at", "confirmed_by"]
    slot.save(update_fields=fields)
    # A visitor's request is not passed on: the audit row would keep the address we promise not to store.
    record(
        action=RECORDED_AS[to],
        request=request if by else None,
        actor=by,
        target=slot,
        detail={"inquiry": str(inquiry.code), **(detail or {})},
    )
    return slot


def release_for(inquiry, *, by=None, request: HttpRequest | None = None) -> bool:
    """Give a chosen or held time back to the open ones (the inquiry was closed, or the admin released it)."""
    with transaction.atomic():
        slot = (
            ConsultationSlot.objects.select_for_update()
            .filter(inquiry=inquiry, status__in=[SlotStatus.PENDING, SlotStatus.HELD])
            .first()
        )
        if slot is None:
            return False
        slot.status, slot.inquiry, slot.held_at = SlotStatus.OPEN, None, None
        slot.save(update_fields=["status", "inquiry", "held_at"])
        record(action=Action.CONSULTATION_RELEASED, request=request, actor=by, target=slot)
    return True


def ask_to_confirm(*, inquiry, request: HttpRequest) -> bool:
    """Send the link that confirms the chosen time, by email or text as the visitor chose (a call is made by a person).

    Only a hash of the link's token is kept. The words are neutral: a shared inbox or phone may be read by others.
    """
    method = inquiry.contact_method
    if method not in (inquiry.ContactMethod.EMAIL, inquiry.ContactMethod.TEXT):
        return False
    token = secrets.token_urlsafe(32)
    inquiry.confirm_token_hash = inquiry.hash_token(token)
    inquiry.save(update_fields=["confirm_token_hash"])
    hours = settings.CONSULTATION_CONFIRM_HOURS
    with language.speaking(inquiry.language):
        link = request.build_absolute_uri(reverse("consultation_confirm", kwargs={"token": token}))
        body = ngettext(
            "You asked for a free first conversation with us on %(when)s. To keep this time for you, "
            "open this link within %(hours)s hour and press Confirm:\n%(link)s\n\n"
            "If this was not you, you can ignore this message.",
            "You asked for a free first conversation with us on %(when)s. To keep this time for you, "
            "open this link within %(hours)s hours and press Confirm:\n%(link)s\n\n"
            "If this was not you, you can ignore this message.",
            hours,
        ) % {"when": label_with_zone(inquiry.consultation_at), "hours": hours, "link": link}
        subject = gettext("Please confirm your time")
    address = inquiry.contact_value
    if method == inquiry.ContactMethod.EMAIL:
        transaction.on_commit(
            lambda: send_mail(subject=subject, message=body, from_email=None, recipient_list=[address])
        )
    else:
        transaction.on_commit(lambda: send_text(to=address, body=body))
    return True


def confirmation_text(slot: ConsultationSlot) -> str:
    """In the language the visitor wrote in (the address of their Get started page)."""
    with language.speaking(slot.inquiry.language if slot.inquiry_id else None):
        return gettext(
            "Your first conversation with us is booked for %(when)s. "
            "If that time no longer suits you, reply to this message."
        ) % {"when": label_with_zone(slot.starts_at)}


def told_by(inquiry) -> str:
    """How confirming tells the visitor: by email, by text, or by the call the admin makes."""
    return {inquiry.ContactMethod.EMAIL: "email", inquiry.ContactMethod.TEXT: "text"}.get(
        inquiry.contact_method, "call"
    )


def send_confirmation(slot: ConsultationSlot) -> str:
    """By the way the visitor chose: email or text. A phone call is made by a person: nothing is sent."""
    inquiry = slot.inquiry
    body = confirmation_text(slot)
    with language.speaking(inquiry.language):
        subject = gettext("Your booking is confirmed")
    method = inquiry.contact_method
    if method == inquiry.ContactMethod.EMAIL:
        address = inquiry.contact_value
        transaction.on_commit(
            lambda: send_mail(subject=subject, message=body, from_email=None, recipient_list=[address])
        )
        return "email"
    if method == inquiry.ContactMethod.TEXT:
        number = inquiry.contact_value
        transaction.on_commit(lambda: send_text(to=number, body=body))
        return "text"
    return ""


def for_admin(inquiry, now: datetime | None = None) -> dict | None:
    """What an admin reads about the time an inquiry asked for, and what they can do with it."""
    if inquiry.consultation_at is None:
        return None
    now = now or timezone.now()
    slot = ConsultationSlot.objects.filter(inquiry=inquiry).select_related("therapist", "confirmed_by").first()
    free = (
        ConsultationSlot.objects.free(now)
        .filter(starts_at=inquiry.consultation_at, starts_at__gt=now, therapist__is_active=True)
        .exclude(inquiry=inquiry)
        .exists()
    )
    if slot is None:
        if inquiry.is_held:
            why = "Not kept from others: the message is held for review."
        else:
            why = (
                f"Not kept from others: when it came, its address already kept "
                f"{settings.CONSULTATION_TIMES_PER_ADDRESS} times, or its choice was not confirmed in time."
            )
        state = f"{why} {'The time is still free.' if free else 'Someone else has it now, or it has passed.'}"
    elif slot.status == SlotStatus.CONFIRMED:
        state = f"Confirmed on {show(slot.confirmed_at, 'SHORT_DATETIME_FORMAT')} by {slot.confirmed_by}."
    elif slot.status == SlotStatus.HELD:
        state = "Held: they confirmed it through the contact they gave. Confirm it to book it and tell them."
    elif slot.lapsed:
        state = "Not confirmed in time: it is offered to others again until someone confirms it."
    else:
        until = show(slot.lapses_at, "TIME_FORMAT")
        if inquiry.contact_method == inquiry.ContactMethod.PHONE:
            state = f"Kept from others until {until}: call them, then confirm it."
        else:
            state = f"Kept from others until {until} for them to confirm it by the link we sent."
    return {
        "when": label_at(inquiry.consultation_at),
        "slot": slot,
        "state": state,
        "can_confirm": inquiry.status in (inquiry.Status.OPEN, inquiry.Status.CONVERTED)
        and inquiry.consultation_at > now
        and ((slot is not None and slot.status != SlotStatus.CONFIRMED) or free),
        "can_release": slot is not None and slot.status in (SlotStatus.PENDING, SlotStatus.HELD),
    }


class PublishForm(forms.Form):
    bound_field_class = BootstrapBoundField

    starts_at = AsciiDateTimeField(**WHEN_FIELD)
    repeat_days = WholeNumberField(
        required=False,
        min_value=0,
        max_value=20,
        initial=0,
        label="Also at the same time on the next working days",
        help_text="0 for this time only; up to 20.",
        error_messages={"max_value": "Publish at most 20 more days at once.", "min_value": "Enter 0 or more."},
    )

    def clean_starts_at(self):
        starts = self.cleaned_data["starts_at"]
        if starts < timezone.now() + EARLIEST:
            raise forms.ValidationError("Publish times at least 12 hours ahead, so someone can choose them.")
        return starts

    def slots(self) -> list[Slot]:
        first = timezone.localtime(self.cleaned_data["starts_at"])
        minutes = timedelta(minutes=settings.CONSULTATION_MINUTES)
        days, day = [first.date()], first.date()
        while len(days) < 1 + (self.cleaned_data.get("repeat_days") or 0):
            day += timedelta(days=1)
            if day.weekday() < 5:
                days.append(day)
        starts = [timezone.make_aware(datetime.combine(d, first.time())) for d in days]
        return [Slot(s, s + minutes) for s in starts]


def publish(*, therapist, slots: list[Slot], request: HttpRequest | None = None) -> tuple[int, list[str]]:
    """Publish the times that are free; returns (published, why the others were not)."""
    skipped, made = [], []
    with transaction.atomic():
        lock_calendar(therapist, [])
        for slot in slots:
            problems = problems_for(therapist=therapist, clients=[], slots=[slot], allow_outside_hours=True)
            clash = ConsultationSlot.objects.filter(
                therapist=therapist,
                status__in=[SlotStatus.OPEN, SlotStatus.PENDING, SlotStatus.HELD, SlotStatus.CONFIRMED],
                starts_at__lt=slot.ends_at,
                ends_at__gt=slot.starts_at,
            ).exists()
            if problems:
                skipped.append(problems[0].message)
            elif clash:
                skipped.append(
                    f"{show(slot.starts_at, 'SHORT_DATETIME_FORMAT')}: a consultation time is already there."
                )
            else:
                made.append(ConsultationSlot(therapist=therapist, starts_at=slot.starts_at, ends_at=slot.ends_at))
        ConsultationSlot.objects.bulk_create(made)
        if made:
            record(action=Action.CONSULTATION_PUBLISHED, request=request, actor=therapist, detail={"count": len(made)})
    return len(made), skipped


@role_required(Role.THERAPIST)
@require_http_methods(["GET", "POST"])
def slot_list(request: HttpRequest) -> HttpResponse:
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        count, skipped = publish(therapist=request.user, slots=form.slots(), request=request)
        if count:
            messages.success(request, f"Published {count} consultation time{pluralize(count)}.")
        for why in skipped:
            messages.warning(request, f"Not published: {why}")
        return redirect("consultation_slots")
    slots = ConsultationSlot.objects.filter(
        therapist=request.user,
        ends_at__gte=timezone.now(),
        status__in=[SlotStatus.OPEN, SlotStatus.PENDING, SlotStatus.HELD, SlotStatus.CONFIRMED],
    ).select_related("inquiry")
    context = {
        "form": form,
        "slots": slots,
        "minutes": settings.CONSULTATION_MINUTES,
        "confirm_hours": settings.CONSULTATION_CONFIRM_HOURS,
    }
    return render(request, "appointments/consultations.html", context)


@role_required(Role.THERAPIST)
@require_POST
def slot_withdraw(request: HttpRequest, code) -> HttpResponse:
    with transaction.atomic():
        slot = get_object_or_404(ConsultationSlot.objects.select_for_update().filter(therapist=request.user), code=code)
        if not slot.is_free:
            messages.error(request, "Someone has chosen this time: ask the practice admin to release it first.")
        else:
            # A choice nobody confirmed in time goes with the time.
            slot.status, slot.inquiry, slot.held_at = SlotStatus.WITHDRAWN, None, None
            slot.save(update_fields=["status", "inquiry", "held_at"])
            messages.success(request, f"Withdrawn: {label(slot)}.")
    return redirect("consultation_slots")


@role_required(Role.ADMIN)
@require_POST
def consultation_decide(request: HttpRequest, code) -> HttpResponse:
    """Confirm the time an inquiry asked for (and tell them, the way they chose), or give it back to the open ones."""
    from intake.models import Inquiry

    inquiry = get_object_or_404(Inquiry.objects.all(), code=code)
    decision = request.POST.get("decision")
    if decision == "release":
        if release_for(inquiry, by=request.user, request=request):
            messages.success(request, "Released: the time is open for others again.")
        return redirect("inquiry_detail", code=inquiry.code)
    if decision != "confirm":
        messages.error(request, "Nothing was changed: choose Confirm or Release.")
        return redirect("inquiry_detail", code=inquiry.code)
    with transaction.atomic():
        # Two clicks at once: the second waits here, then finds the time confirmed and tells nobody again.
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if ConsultationSlot.objects.filter(inquiry=inquiry, status=SlotStatus.CONFIRMED).exists():
            messages.info(request, "This time is already confirmed.")
            return redirect("inquiry_detail", code=inquiry.code)
        try:
            slot = take(
                inquiry=inquiry,
                to=SlotStatus.CONFIRMED,
                by=request.user,
                request=request,
                detail={"told_by": told_by(inquiry)},
            )
        except SlotTaken:
            slot = False
        if not slot:
            messages.error(
                request,
                "Nothing was changed: that time is no longer free (someone else has it, or it has passed)"
                if slot is False
                else "Nothing was changed: accept the inquiry first (a message held for review or closed keeps no time)",
            )
            return redirect("inquiry_detail", code=inquiry.code)
        channel = send_confirmation(slot)
    told = {
        "email": "An email confirming it is on its way.",
        "text": "A text message confirming it is on its way.",
    }.get(channel, "They asked for a phone call: call them to confirm (nothing was sent).")
    messages.success(request, f"Confirmed with {slot.therapist}: {label(slot)}. {told}")
    return redirect("inquiry_detail", code=inquiry.code)
