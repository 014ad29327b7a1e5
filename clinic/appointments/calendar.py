"""What the week, day and dashboard views read: a fixed number of queries however many appointments there are."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from assessments.models import RiskFlag
from clinic.appointments.booking import hours_of
from clinic.appointments.models import Appointment, AppointmentStatus
from clinic.clients.models import Client, Membership


def day_bounds(first: date, days: int = 1) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(first, time(0)))
    return start, timezone.make_aware(datetime.combine(first + timedelta(days=days), time(0)))


def appointments_between(start: datetime, end: datetime) -> QuerySet:
    members = Prefetch("case__clients", queryset=Client.objects.order_by("memberships__id"))
    return (
        Appointment.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("case", "individual_client", "therapist", "session__note")
        .prefetch_related(members)
        .order_by("starts_at", "id")
    )


def mark_paused(appointments: list[Appointment], now: datetime | None = None, *, flags: bool = True) -> None:
    """Set `conjoint_paused` on booked conjoint appointments of cases where a partner has an open urgent flag.

    `flags=False` for admins, who see flags as numbers only, never whose.
    """
    case_ids = {a.case_id for a in appointments if a.format == Appointment.Format.CONJOINT and a.is_booked}
    paused = set()
    if case_ids and flags:
        paused = set(
            Membership.objects.filter(
                case_id__in=case_ids, client__in=RiskFlag.objects.urgent_unresolved().values("client")
            ).values_list("case_id", flat=True)
        )
    now = now or timezone.now()
    for a in appointments:
        a.conjoint_paused = a.case_id in paused and a.format == Appointment.Format.CONJOINT and a.is_booked
        a.needs_recording = a.is_booked and a.starts_at <= now
        a.is_cancelled = a.status in (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED)


@dataclass
class Day:
    day: date
    appointments: list = field(default_factory=list)
    hours: tuple | None = None

    @property
    def is_today(self) -> bool:
        return self.day == timezone.localdate()


def week_of(therapist, monday: date, days: int = 7, *, with_hours: bool = True) -> list[Day]:
    start, end = day_bounds(monday, days)
    rows = list(appointments_between(start, end).filter(therapist=therapist))
    mark_paused(rows)
    hours = hours_of(therapist) if with_hours else {}
    result = [
        Day(monday + timedelta(days=n), hours=hours.get((monday + timedelta(days=n)).weekday())) for n in range(days)
    ]
    for row in rows:
        result[(timezone.localtime(row.starts_at).date() - monday).days].appointments.append(row)
    return result


def practice_day(day: date, therapists: list) -> list[dict]:
    """Each active therapist with their appointments of the day (therapists without any are listed too)."""
    start, end = day_bounds(day)
    rows = list(appointments_between(start, end).filter(therapist__in=therapists))
    mark_paused(rows, flags=False)
    by_therapist: dict[int, list] = {t.pk: [] for t in therapists}
    for row in rows:
        by_therapist[row.therapist_id].append(row)
    return [{"therapist": t, "appointments": by_therapist[t.pk]} for t in therapists]


def client_upcoming(client: Client, now: datetime | None = None, limit: int = 20) -> list[Appointment]:
    """A client's own booked appointments to come: conjoint ones of their cases and their own individual ones."""
    now = now or timezone.now()
    return list(
        Appointment.objects.with_client(client)
        .filter(status=AppointmentStatus.BOOKED, ends_at__gt=now)
        .order_by("starts_at", "id")[:limit]
    )


def case_upcoming(case, *, flags: bool, limit: int = 12) -> list[Appointment]:
    now = timezone.now()
    rows = list(
        appointments_between(now - timedelta(hours=12), now + timedelta(days=400)).filter(
            case=case, status=AppointmentStatus.BOOKED
        )[:limit]
    )
    mark_paused(rows, now, flags=flags)
    return rows


def today_for(therapist) -> Day:
    (today,) = week_of(therapist, timezone.localdate(), days=1, with_hours=False)
    return today
