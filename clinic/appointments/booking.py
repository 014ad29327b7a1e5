"""Booking, moving and cancelling appointments, and recording what happened: the rules of the calendar in one place.

Every change runs in one transaction that first locks the therapist's row and
the rows of the clients concerned (always in the same order), so that two
bookings made at the same moment cannot both pass the conflict check.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from assessments.checkins import offer_after_session, people_in
from clinic.accounts.models import User
from clinic.appointments.models import Appointment, AppointmentStatus, Series, WorkingHours
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client
from clinic.lib.dates import show
from clinic.notes.models import SessionFormat, TherapySession

MAX_OCCURRENCES = 52
# Cancelling closer than this to the start is a late cancellation (what the form suggests, not a rule).
LATE_CANCEL_HOURS = 24


class BookingRefused(Exception):
    """The change would break a rule; `problems` says which, in words, per occurrence."""

    def __init__(self, problems: list["Problem"]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))

    @property
    def only_hours(self) -> bool:
        return all(p.kind == "hours" for p in self.problems)


@dataclass(frozen=True)
class Problem:
    kind: str  # "therapist", "client", "hours", "past"
    starts_at: datetime
    message: str


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime


def occurrences(*, first: datetime, minutes: int, every_weeks: int = 0, count: int = 1) -> list[Slot]:
    """The times of an appointment or a series, keeping the local clock time across a change of summer time."""
    local = timezone.localtime(first)
    day, clock = local.date(), local.time().replace(second=0, microsecond=0)
    slots = []
    for n in range(count if every_weeks else 1):
        starts = timezone.make_aware(datetime.combine(day + timedelta(weeks=n * every_weeks), clock))
        slots.append(Slot(starts, starts + timedelta(minutes=minutes)))
    return slots


def hours_of(therapist: User) -> dict[int, tuple[time, time]]:
    """Weekday -> (start, end) of the therapist's working hours; the practice's default until they set theirs."""
    rows = {h.weekday: (h.starts, h.ends) for h in WorkingHours.objects.filter(therapist=therapist)}
    if rows:
        return rows
    return {day: settings.DEFAULT_WORKING_HOURS[1] for day in settings.DEFAULT_WORKING_HOURS[0]}


def within_hours(hours: dict[int, tuple[time, time]], slot: Slot) -> bool:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    day = hours.get(start.weekday())
    return day is not None and start.date() == end.date() and day[0] <= start.time() and end.time() <= day[1]


def _when(slot_start: datetime) -> str:
    return f"{show(slot_start, 'SHORT_DATE_FORMAT')}, {show(slot_start, 'TIME_FORMAT')}"


def problems_for(
    *,
    therapist: User,
    clients: list[Client],
    slots: list[Slot],
    ignore: list[int] = (),
    allow_outside_hours: bool = False,
) -> list[Problem]:
    """What stands in the way of these times: the therapist or a client already booked, hours, the past."""
    if not slots:
        return []
    found = []
    span_start, span_end = min(s.starts_at for s in slots), max(s.ends_at for s in slots)
    nearby = Appointment.objects.holding_time().overlapping(span_start, span_end).exclude(pk__in=ignore)
    mine = list(nearby.filter(therapist=therapist).select_related("case").prefetch_related("case__clients"))
    theirs = {c.pk: list(nearby.with_client(c)) for c in clients}
    hours = None if allow_outside_hours else hours_of(therapist)
    for slot in slots:
        clash = next((a for a in mine if a.starts_at < slot.ends_at and a.ends_at > slot.starts_at), None)
        if clash:
            booked = f"{show(clash.starts_at, 'TIME_FORMAT')} to {show(clash.ends_at, 'TIME_FORMAT')}"
            found.append(
                Problem(
                    "therapist",
                    slot.starts_at,
                    f"{_when(slot.starts_at)}: {therapist} already has an appointment then ({booked}, {clash.case.label}).",
                )
            )
        for client in clients:
            if any(a.starts_at < slot.ends_at and a.ends_at > slot.starts_at for a in theirs[client.pk]):
                found.append(
                    Problem(
                        "client",
                        slot.starts_at,
                        f"{_when(slot.starts_at)}: {client.display_name} already has an appointment at that time.",
                    )
                )
        if hours is not None and not within_hours(hours, slot):
            found.append(
                Problem(
                    "hours",
                    slot.starts_at,
                    f"{_when(slot.starts_at)} is outside {therapist}'s working hours. "
                    "Tick “Book outside working hours” to book it all the same.",
                )
            )
    return found


def lock_calendar(therapist: User, clients: list[Client]) -> None:
    """Serialise bookings that could conflict: the therapist first, then the clients by id."""
    User.objects.select_for_update().filter(pk=therapist.pk).get()
    list(Client.objects.select_for_update().filter(pk__in=[c.pk for c in clients]).order_by("pk").values("pk"))


def participants(*, case: Case, format: str, individual_client: Client | None) -> list[Client]:
    if format == SessionFormat.CONJOINT:
        return list(case.clients.order_by("memberships__id"))
    return [individual_client]


@dataclass
class Booking:
    """What the booking form decided (clinic.appointments.forms.BookingForm.booking)."""

    first: datetime
    minutes: int
    format: str
    individual_client: Client | None
    modality: str
    video_link: str = ""
    every_weeks: int = 0
    count: int = 1
    outside_hours: bool = False
    conjoint_override_reason: str = ""


def book(*, case: Case, booking: Booking, by: User, request: HttpRequest | None = None) -> list[Appointment]:
    """Book one appointment or a series for the case's therapist; refused whole (BookingRefused) on any problem."""
    from clinic.appointments.reminders import plan_reminders

    therapist = case.primary_therapist
    clients = participants(case=case, format=booking.format, individual_client=booking.individual_client)
    slots = occurrences(
        first=booking.first, minutes=booking.minutes, every_weeks=booking.every_weeks, count=booking.count
    )
    with transaction.atomic():
        lock_calendar(therapist, clients)
        problems = problems_for(
            therapist=therapist, clients=clients, slots=slots, allow_outside_hours=booking.outside_hours
        )
        if problems:
            raise BookingRefused(problems)
        series = (
            Series.objects.create(case=case, every_weeks=booking.every_weeks, created_by=by) if len(slots) > 1 else None
        )
        hours = hours_of(therapist)
        made = []
        for n, slot in enumerate(slots, start=1):
            made.append(
                Appointment.objects.create(
                    case=case,
                    therapist=therapist,
                    series=series,
                    sequence=n,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    format=booking.format,
                    individual_client=booking.individual_client if booking.format == SessionFormat.INDIVIDUAL else None,
                    modality=booking.modality,
                    video_link=booking.video_link,
                    conjoint_override_reason=booking.conjoint_override_reason,
                    outside_hours=booking.outside_hours and not within_hours(hours, slot),
                    created_by=by,
                )
            )
        detail = {"count": len(made), "series": str(series.code) if series else None}
        record(action=Action.APPOINTMENT_BOOKED, request=request, actor=by, target=made[0], detail=detail)
        if booking.conjoint_override_reason:
            # That it happened, not why: the reason stays on the appointment, out of the audit log.
            record(action=Action.CONJOINT_OVERRIDE, request=request, actor=by, target=made[0])
        for appointment in made:
            plan_reminders(appointment)
    return made


class Stale(Exception):
    """The appointment changed after the form was opened."""


def _current(appointment: Appointment, version: int, refusal: str) -> Appointment:
    """The appointment's row, locked, as the form saw it (else Stale) and still booked (else BookingRefused)."""
    current = Appointment.objects.select_for_update().select_related("case").get(pk=appointment.pk)
    if current.version != version:
        raise Stale
    if not current.is_booked:
        raise BookingRefused([Problem("past", current.starts_at, refusal)])
    return current


def _following(appointment: Appointment, scope: str):
    """The appointment alone, or it and the later booked ones of its series (locked)."""
    rows = Appointment.objects.select_for_update().select_related("case")
    if scope == "following" and appointment.series_id:
        return list(
            rows.filter(
                series=appointment.series_id, sequence__gte=appointment.sequence, status=AppointmentStatus.BOOKED
            ).order_by("sequence")
        )
    return list(rows.filter(pk=appointment.pk))


def move(
    *,
    appointment: Appointment,
    starts_at: datetime,
    minutes: int,
    scope: str = "one",
    version: int,
    by: User,
    outside_hours: bool = False,
    modality: str | None = None,
    video_link: str | None = None,
    request: HttpRequest | None = None,
) -> list[Appointment]:
    """Move the appointment (or it and the later ones of its series by the same shift) and change its length."""
    from clinic.appointments.reminders import plan_reminders

    therapist = appointment.therapist
    clients = people_in(appointment)
    with transaction.atomic():
        lock_calendar(therapist, clients)
        current = _current(appointment, version, "Only a booked appointment can be moved.")
        rows = _following(current, scope)
        # Shift by the change of local date and clock time, so a weekly series stays weekly across summer time.
        old, new = timezone.localtime(current.starts_at), timezone.localtime(starts_at)
        day_shift = new.date() - old.date()
        slots = []
        for row in rows:
            local = timezone.localtime(row.starts_at)
            starts = timezone.make_aware(datetime.combine(local.date() + day_shift, new.time()))
            slots.append(Slot(starts, starts + timedelta(minutes=minutes)))
        problems = problems_for(
            therapist=therapist,
            clients=clients,
            slots=slots,
            ignore=[r.pk for r in rows],
            allow_outside_hours=outside_hours,
        )
        if problems:
            raise BookingRefused(problems)
        hours = hours_of(therapist)
        for row, slot in zip(rows, slots, strict=True):
            row.starts_at, row.ends_at = slot.starts_at, slot.ends_at
            row.outside_hours = not within_hours(hours, slot)
            if modality is not None:
                row.modality = modality
            if video_link is not None:
                row.video_link = video_link
            row.version += 1
            row.save(update_fields=["starts_at", "ends_at", "outside_hours", "modality", "video_link", "version"])
            plan_reminders(row)
        record(
            action=Action.APPOINTMENT_MOVED,
            request=request,
            actor=by,
            target=current,
            detail={"count": len(rows), "scope": scope},
        )
    return rows


def suggested_cancellation(appointment: Appointment, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if appointment.starts_at - now < timedelta(hours=LATE_CANCEL_HOURS):
        return AppointmentStatus.LATE_CANCELLED
    return AppointmentStatus.CANCELLED


def cancel(
    *,
    appointment: Appointment,
    status: str,
    reason: str,
    scope: str = "one",
    version: int,
    by: User,
    request: HttpRequest | None = None,
) -> list[Appointment]:
    """Cancel the appointment, or it and the rest of its series; pending reminders are withdrawn with it."""

    if status not in (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED):
        raise ValueError(status)
    with transaction.atomic():
        current = _current(appointment, version, "This appointment is no longer booked.")
        rows = _following(current, scope)
        now = timezone.now()
        for row in rows:
            # Later occurrences of a series cancelled now are cancelled in good time, whatever this one is.
            _close(row, status if row.pk == current.pk else AppointmentStatus.CANCELLED, reason, by, now)
        record(
            action=Action.APPOINTMENT_CANCELLED,
            request=request,
            actor=by,
            target=current,
            detail={"count": len(rows), "scope": scope, "status": status},
        )
    return rows


STATUS_FIELDS = ["status", "status_reason", "status_changed_at", "status_changed_by", "version"]


def _mark(row: Appointment, status: str, reason: str, by: User, now: datetime) -> None:
    """What happened to the appointment, who said so and when (saved by the caller, with STATUS_FIELDS)."""
    row.status, row.status_reason, row.status_changed_at, row.status_changed_by = status, reason, now, by
    row.version += 1


def _close(row: Appointment, status: str, reason: str, by: User, now: datetime) -> None:
    """Cancel one appointment (with who, when and why) and withdraw its reminders not yet sent."""
    from clinic.appointments.reminders import withdraw_reminders

    _mark(row, status, reason, by, now)
    row.save(update_fields=STATUS_FIELDS)
    withdraw_reminders(row)


def record_attendance(
    *,
    appointment: Appointment,
    status: str,
    reason: str = "",
    version: int,
    by: User,
    override_reason: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Attended (which makes the session record its note belongs to) or did not attend; only once it has started."""
    from clinic.appointments.reminders import withdraw_reminders

    now = now or timezone.now()
    if status not in (AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW):
        raise ValueError(status)
    with transaction.atomic():
        current = _current(appointment, version, "What happened is already recorded.")
        if current.starts_at > now:
            raise BookingRefused(
                [Problem("past", current.starts_at, "This appointment has not started yet: record it once it has.")]
            )
        _mark(current, status, reason, by, now)
        if status == AppointmentStatus.ATTENDED:
            session = TherapySession.objects.create(
                case=current.case,
                starts_at=current.starts_at,
                duration_minutes=current.duration_minutes,
                format=current.format,
                individual_client=current.individual_client,
                modality=current.modality,
                attendance=TherapySession.Attendance.ATTENDED,
                created_by=by,
                conjoint_override_reason=current.conjoint_override_reason or override_reason,
            )
            current.session = session
            record(
                action=Action.SESSION_CREATED,
                request=request,
                actor=by,
                target=session,
                client=session.individual_client,
            )
            if override_reason and not current.conjoint_override_reason:
                record(action=Action.CONJOINT_OVERRIDE, request=request, actor=by, target=session)
            # Each client who was there is asked how it went (assessments/checkins.py says when).
            offer_after_session(session=session, request=request, now=now)
        current.save(update_fields=[*STATUS_FIELDS, "session"])
        withdraw_reminders(current)
        record(
            action=Action.APPOINTMENT_ATTENDANCE,
            request=request,
            actor=by,
            target=current,
            detail={"status": status},
        )
    return current


def reassign_future(*, case: Case, therapist: User, now: datetime | None = None) -> int:
    """A case that moves takes its booked appointments to come with it; returns how many moved."""
    now = now or timezone.now()
    return Appointment.objects.filter(case=case, status=AppointmentStatus.BOOKED, starts_at__gte=now).update(
        therapist=therapist
    )


def cancel_future_on_discharge(*, case: Case, by: User, now: datetime | None = None) -> int:
    """A closed case keeps no booked appointments to come (nor their reminders)."""

    now = now or timezone.now()
    rows = list(
        Appointment.objects.select_for_update().filter(case=case, status=AppointmentStatus.BOOKED, starts_at__gte=now)
    )
    for row in rows:
        _close(row, AppointmentStatus.CANCELLED, "Case closed", by, now)
    return len(rows)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
