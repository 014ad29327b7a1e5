"""Free first consultations: therapists publish times, a visitor chooses one on Get started, an admin confirms.

A time is held for the inquiry that chose it, inside the transaction that
keeps the inquiry, after locking the time's row: two people choosing the same
time at once get one hold and one clear "just taken" message (with everything
they typed still on the page). The confirmation goes only the way the visitor
chose on the form, in neutral words; for a phone call nothing is sent and the
admin calls.
"""

from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
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


class SlotTaken(Exception):
    pass


def label(slot: ConsultationSlot) -> str:
    local = timezone.localtime(slot.starts_at)
    return f"{show(local, 'l')}, {show(slot.starts_at, 'DATE_FORMAT')}, {show(slot.starts_at, 'TIME_FORMAT')}"


def open_slots(now: datetime | None = None):
    now = now or timezone.now()
    return ConsultationSlot.objects.filter(
        status=SlotStatus.OPEN,
        starts_at__gte=now + EARLIEST,
        starts_at__lt=now + LATEST,
        therapist__is_active=True,
    ).order_by("starts_at", "id")


def slot_choices(now: datetime | None = None) -> list[tuple[str, str]]:
    """Each open time once (two therapists free at 10:00 show as one 10:00)."""
    seen, choices = set(), []
    for slot in open_slots(now):
        if slot.starts_at in seen:
            continue
        seen.add(slot.starts_at)
        choices.append((slot.starts_at.isoformat(), label(slot)))
    return choices


def hold(*, starts_at: datetime, inquiry, now: datetime | None = None) -> ConsultationSlot:
    """Hold one open slot at `starts_at` for the inquiry (call inside the inquiry's transaction)."""
    now = now or timezone.now()
    candidates = open_slots(now).filter(starts_at=starts_at).select_for_update(skip_locked=True, of=("self",))
    slot = candidates.first()
    if slot is None:
        raise SlotTaken
    slot.status, slot.inquiry, slot.held_at = SlotStatus.HELD, inquiry, now
    slot.save(update_fields=["status", "inquiry", "held_at"])
    record(action=Action.CONSULTATION_HELD, target=slot, detail={"inquiry": str(inquiry.code)})
    return slot


def release_for(inquiry, *, by=None, request: HttpRequest | None = None) -> bool:
    """Give a held time back to the open ones (the inquiry was closed, or the admin released it)."""
    with transaction.atomic():
        slot = ConsultationSlot.objects.select_for_update().filter(inquiry=inquiry, status=SlotStatus.HELD).first()
        if slot is None:
            return False
        slot.status, slot.inquiry, slot.held_at = SlotStatus.OPEN, None, None
        slot.save(update_fields=["status", "inquiry", "held_at"])
        record(action=Action.CONSULTATION_RELEASED, request=request, actor=by, target=slot)
    return True


def confirmation_text(slot: ConsultationSlot) -> str:
    """In the language the visitor wrote in (the address of their Get started page)."""
    with language.speaking(slot.inquiry.language if slot.inquiry_id else None):
        return gettext(
            "Your first conversation with us is booked for %(when)s. "
            "If that time no longer suits you, reply to this message."
        ) % {"when": label(slot)}


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
                status__in=[SlotStatus.OPEN, SlotStatus.HELD, SlotStatus.CONFIRMED],
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
        status__in=[SlotStatus.OPEN, SlotStatus.HELD, SlotStatus.CONFIRMED],
    ).select_related("inquiry")
    context = {"form": form, "slots": slots, "minutes": settings.CONSULTATION_MINUTES}
    return render(request, "appointments/consultations.html", context)


@role_required(Role.THERAPIST)
@require_POST
def slot_withdraw(request: HttpRequest, code) -> HttpResponse:
    with transaction.atomic():
        slot = get_object_or_404(ConsultationSlot.objects.select_for_update().filter(therapist=request.user), code=code)
        if slot.status != SlotStatus.OPEN:
            messages.error(request, "Someone has chosen this time: ask the practice admin to release it first.")
        else:
            slot.status = SlotStatus.WITHDRAWN
            slot.save(update_fields=["status"])
            messages.success(request, f"Withdrawn: {label(slot)}.")
    return redirect("consultation_slots")


@role_required(Role.ADMIN)
@require_POST
def consultation_decide(request: HttpRequest, code) -> HttpResponse:
    """Confirm the time an inquiry chose (and tell them, the way they chose), or give it back to the open times."""
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
        slot = (
            ConsultationSlot.objects.select_for_update()
            .select_related("inquiry", "therapist")
            .filter(inquiry=inquiry, status=SlotStatus.HELD)
            .first()
        )
        if slot is None:
            messages.info(request, "There is no time waiting to be confirmed for this inquiry.")
            return redirect("inquiry_detail", code=inquiry.code)
        slot.status, slot.confirmed_at, slot.confirmed_by = SlotStatus.CONFIRMED, timezone.now(), request.user
        slot.save(update_fields=["status", "confirmed_at", "confirmed_by"])
        channel = send_confirmation(slot)
        record(
            action=Action.CONSULTATION_CONFIRMED, request=request, target=slot, detail={"told_by": channel or "call"}
        )
    told = {
        "email": "An email confirming it is on its way.",
        "text": "A text message confirming it is on its way.",
    }.get(channel, "They asked for a phone call: call them to confirm (nothing was sent).")
    messages.success(request, f"Confirmed with {slot.therapist}: {label(slot)}. {told}")
    return redirect("inquiry_detail", code=inquiry.code)
