"""A busy practice's calendar, made fast with bulk inserts: for the query-count tests and bench/appointments.py.

`build(therapists, per_week)` makes that many therapists, each with twenty
couple cases and `per_week` appointments in the current week (Monday to
Friday from 08:00, one an hour), conjoint and individual, in person and by
video, with an urgent flag on one partner of each therapist's first case.
`grow_history(world, weeks)` adds `weeks` more weeks of past appointments
before the earliest ones there are (attended, cancelled, missed).
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from assessments.models import RiskFlag, WarningSign
from clinic.accounts.models import Role, User
from clinic.appointments.models import Appointment, AppointmentStatus
from clinic.clients.models import Case, Client, Membership

CASES_PER_THERAPIST = 20
_seq = itertools.count(1)


@dataclass
class World:
    therapists: list
    monday: date
    per_week: int
    cases: dict = field(default_factory=dict)  # therapist pk -> [(case, [client, client])]
    history_weeks: int = 0


def _week(world: World, therapist, monday: date, *, past: bool) -> list[Appointment]:
    rows = []
    cases = world.cases[therapist.pk]
    for n in range(world.per_week):
        day, hour = divmod(n, 8)
        starts = timezone.make_aware(datetime.combine(monday + timedelta(days=day % 5), time(8 + hour % 12)))
        case, people = cases[n % len(cases)]
        alone = people[n % 2] if n % 4 == 3 else None
        status = AppointmentStatus.BOOKED
        if past:
            status = [AppointmentStatus.ATTENDED] * 7 + [AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW]
            status = status[n % 9]
        rows.append(
            Appointment(
                case=case,
                therapist=therapist,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=50),
                format="individual" if alone else "conjoint",
                individual_client=alone,
                modality="telehealth" if n % 3 == 0 else "in_person",
                status=status,
                created_by=therapist,
            )
        )
    return rows


def build(*, therapists: int = 50, per_week: int = 40, monday: date | None = None) -> World:
    monday = monday or timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    batch = next(_seq)
    staff = User.objects.bulk_create(
        [
            User(
                username=f"cal{batch}t{n}",
                first_name="Therapist",
                last_name=f"Cal{n}",
                role=Role.THERAPIST,
                email=f"cal{batch}t{n}@example.org",
            )
            for n in range(therapists)
        ]
    )
    world = World(therapists=staff, monday=monday, per_week=per_week)
    cases = Case.objects.bulk_create(
        [Case(kind="couple", primary_therapist=t, created_by=t) for t in staff for _ in range(CASES_PER_THERAPIST)]
    )
    clients = Client.objects.bulk_create(
        [
            Client(
                full_name=f"Cal Person{batch}-{i}-{j}",
                search_name=f"cal person{batch}-{i}-{j}",
                created_by=c.created_by,
            )
            for i, c in enumerate(cases)
            for j in range(2)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(case=c, client=clients[2 * i + j]) for i, c in enumerate(cases) for j in range(2)]
    )
    for i, case in enumerate(cases):
        world.cases.setdefault(case.primary_therapist_id, []).append((case, [clients[2 * i], clients[2 * i + 1]]))
    signs = WarningSign.objects.bulk_create(
        [
            WarningSign(
                client=world.cases[t.pk][0][1][0],
                recorded_by=t,
                type=WarningSign.Type.RECURRING_ABUSE,
                observed_on=monday,
                severity=WarningSign.Severity.SEVERE,
                source=WarningSign.Source.CLIENT_REPORT,
                description="Made-up record for a calendar benchmark.",
                action_taken=WarningSign.Action.SAFETY_PLAN,
            )
            for t in staff
        ]
    )
    RiskFlag.objects.bulk_create(
        [RiskFlag(client=s.client, severity=RiskFlag.Severity.URGENT, reasons=["bench"], warning_sign=s) for s in signs]
    )
    Appointment.objects.bulk_create(
        [a for t in staff for a in _week(world, t, monday, past=monday < timezone.localdate() - timedelta(days=6))],
        batch_size=2000,
    )
    return world


def grow_history(world: World, weeks: int) -> None:
    rows = []
    for w in range(world.history_weeks + 1, world.history_weeks + weeks + 1):
        monday = world.monday - timedelta(weeks=w)
        rows += [a for t in world.therapists for a in _week(world, t, monday, past=True)]
    Appointment.objects.bulk_create(rows, batch_size=2000)
    world.history_weeks += weeks
