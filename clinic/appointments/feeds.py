"""Calendar files (RFC 5545, built with icalendar): a therapist's private subscription, a client's own appointment.

A subscription address carries a long random token instead of a sign-in
(calendar apps cannot sign in). Only the token's SHA-256 is kept, so the
address is shown once, when it is made; turning it on again makes a new one
and the old one answers 404 at once. Reads are limited per hour.

What a feed holds, on purpose: the time, "Appointment", in person or by
video, and the initials of who comes. No names, no contact details, no kind
of care, no reasons, no video link: a calendar synced to a phone is read on
lock screens and by whoever shares the calendar.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from icalendar import Calendar, Event

from clinic.accounts.decorators import role_required
from clinic.accounts.models import Role
from clinic.appointments.models import HOLDS_TIME, Appointment, CalendarFeed
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Client

PAST_DAYS = 30
FUTURE_DAYS = 365
PRODID = "-//Fulcrum//Appointments//EN"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def initials(name: str) -> str:
    """ "Jo Smith" -> "J.S."; works for any script, and says nothing more than the first letters."""
    parts = [part for part in name.split() if part]
    return "".join(f"{part[0].upper()}." for part in parts[:3]) or "?"


def who(appointment: Appointment) -> str:
    if appointment.format == Appointment.Format.INDIVIDUAL:
        return initials(appointment.individual_client.full_name)
    return " & ".join(initials(c.full_name) for c in appointment.case.clients.all())


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(appointment: Appointment, summary: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{appointment.code}@fulcrum")
    event.add("dtstamp", stamp)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", summary)
    event.add("transp", "OPAQUE")
    return event


def how(appointment: Appointment) -> str:
    return "by video" if appointment.is_telehealth else "in person"


def therapist_calendar(therapist, now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    calendar = _calendar("Appointments")
    rows = (
        Appointment.objects.filter(
            therapist=therapist,
            status__in=HOLDS_TIME,
            starts_at__gte=now - timedelta(days=PAST_DAYS),
            starts_at__lt=now + timedelta(days=FUTURE_DAYS),
        )
        .select_related("individual_client", "case")
        .prefetch_related(Prefetch("case__clients", queryset=Client.objects.order_by("memberships__id")))
        .order_by("starts_at")
    )
    for appointment in rows:
        calendar.add_component(_event(appointment, f"Appointment {how(appointment)}: {who(appointment)}", now))
    return calendar.to_ical()


def client_calendar(appointment: Appointment, now: datetime | None = None) -> bytes:
    calendar = _calendar("Appointment")
    calendar.add_component(_event(appointment, "Appointment", now or timezone.now()))
    return calendar.to_ical()


def turn_on(therapist, request: HttpRequest | None = None) -> str:
    """A new subscription token (the old one, if any, stops working); returned once, never stored."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.select_for_update().filter(therapist=therapist, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        CalendarFeed.objects.create(therapist=therapist, token_hash=_hash(token))
        record(action=Action.CALENDAR_FEED_ON, request=request, actor=therapist, target=therapist)
    return token


def turn_off(therapist, request: HttpRequest | None = None) -> int:
    with transaction.atomic():
        ended = CalendarFeed.objects.filter(therapist=therapist, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if ended:
            record(action=Action.CALENDAR_FEED_OFF, request=request, actor=therapist, target=therapist)
    return ended


def _allowed(feed_pk: int, now: datetime) -> bool:
    """Count this read; False when the feed has been read too often this hour."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().get(pk=feed_pk)
        if feed.window_started_at is None or now - feed.window_started_at >= timedelta(hours=1):
            feed.window_started_at, feed.window_reads = now, 0
        feed.window_reads += 1
        feed.last_read_at = now
        feed.save(update_fields=["window_started_at", "window_reads", "last_read_at"])
        return feed.window_reads <= settings.CALENDAR_FEED_READS_PER_HOUR


@login_not_required
@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription itself: no sign-in (see the module's note); a wrong or revoked token is a plain 404."""
    if len(token) > 100:
        raise Http404
    found = (
        CalendarFeed.objects.filter(token_hash=_hash(token), revoked_at__isnull=True, therapist__is_active=True)
        .select_related("therapist")
        .first()
    )
    if found is None:
        raise Http404
    now = timezone.now()
    if not _allowed(found.pk, now):
        response = HttpResponse(
            "Too many reads of this calendar; try again within the hour.",
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "3600"
        return response
    response = HttpResponse(therapist_calendar(found.therapist, now), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="appointments.ics"'
    return response


@role_required(Role.THERAPIST)
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    live = CalendarFeed.objects.filter(therapist=request.user, revoked_at__isnull=True).first()
    if request.method == "POST":
        if request.POST.get("action") == "on":
            token = turn_on(request.user, request)
            address = request.build_absolute_uri(reverse("calendar_feed_ics", kwargs={"token": token}))
            live = CalendarFeed.objects.get(therapist=request.user, revoked_at__isnull=True)
            return render(request, "appointments/feed.html", {"live": live, "address": address})
        if request.POST.get("action") == "off":
            if turn_off(request.user, request):
                messages.success(request, "Subscription turned off. The address no longer works anywhere.")
            return redirect("calendar_feed")
    return render(request, "appointments/feed.html", {"live": live, "address": None})
