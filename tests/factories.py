"""Plain factory functions for tests."""

import itertools

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.accounts.models import Role, User
from clinic.clients.cases import open_case
from clinic.clients.models import Case

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def make_user(role: Role = Role.THERAPIST, **kw) -> User:
    n = next(_seq)
    fields = {
        "username": f"{role}{n}",
        "first_name": role.label.split()[0],
        "last_name": f"Person{n}",
        "email": f"{role}{n}@example.org",
        "role": role,
    }
    fields.update(kw)
    password = fields.pop("password", PASSWORD)
    user = User(**fields)
    user.set_password(password)
    user.save()
    return user


def make_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show right now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def make_case(
    *, therapist: User, kind: str = Case.Kind.COUPLE, users: list[User] | None = None, by: User | None = None
):
    users = users or []
    size = 2 if kind == Case.Kind.COUPLE else 1
    people = [{"full_name": f"Client Person{next(_seq)}", "email": ""} for _ in range(size)]
    case = open_case(kind=kind, therapist=therapist, clients=people, by=by or therapist)
    for client, user in zip(case.clients.order_by("memberships__id"), users, strict=False):
        client.user = user
        client.save(update_fields=["user"])
    return case


def make_warning_sign(client, *, by: User, urgent_flag: bool = False, **kw):
    """A recorded warning sign of `client` (recurring abuse, reported), and with `urgent_flag` the flag it raises."""
    from datetime import date

    from assessments.flags import raise_flag
    from assessments.models import RiskFlag, WarningSign

    values = {
        "type": WarningSign.Type.RECURRING_ABUSE,
        "observed_on": date(2026, 11, 30),
        "severity": WarningSign.Severity.SEVERE if urgent_flag else WarningSign.Severity.MODERATE,
        "source": WarningSign.Source.CLIENT_REPORT,
        "description": "Shouting and a broken door last month.",
        "action_taken": WarningSign.Action.SAFETY_PLAN,
    }
    sign = WarningSign.objects.create(client=client, recorded_by=by, **{**values, **kw})
    if urgent_flag:
        raise_flag(client=client, severity=RiskFlag.Severity.URGENT, reasons=["test"], warning_sign=sign)
    return sign


def attended_session(case, *, by: User, hours_ago: float = 2, individual_client=None, offer: bool = True):
    """A session held `hours_ago` hours ago (conjoint unless `individual_client`), with its check-ins offered."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.checkins import offer_after_session
    from clinic.notes.models import TherapySession

    session = TherapySession.objects.create(
        case=case,
        starts_at=timezone.now() - timedelta(hours=hours_ago),
        format=TherapySession.Format.INDIVIDUAL if individual_client else TherapySession.Format.CONJOINT,
        individual_client=individual_client,
        created_by=by,
    )
    if offer:
        offer_after_session(session=session)
    return session


def checkins_sent(case, therapist, answers: dict, *, sessions: int = 1) -> list:
    """`sessions` conjoint sessions (the newest an hour ago), each client answering every line with their
    value and their line ({client: (line, value)}); enough sessions raise a balance alert."""
    from django.http import QueryDict

    from assessments import checkins

    held = []
    for number in range(sessions):
        alone = case.clients.get() if case.kind == "individual" else None
        session = attended_session(
            case, by=therapist, hours_ago=1 + 3 * (sessions - 1 - number), individual_client=alone
        )
        for checkin in session.checkins.all():
            line, value = answers[checkin.client]
            data = QueryDict(mutable=True)
            data.update({item.id: str(value) for item in checkins.instrument_of(checkin).items} | {"comment": line})
            checkins.save_answers(checkin, data)
            checkins.submit(checkin)
        held.append(session)
    return held


def local_noon_days_ago(days: int):
    """Noon, practice time, `days` calendar days ago: `days` apart in dates whatever the hour the test runs and
    across a change of clock (now minus 100 days at 23:30 in December is a date 99 days back in Los Angeles)."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days), time(12)))
