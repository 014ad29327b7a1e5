"""Risk flags and warning signs: raising, acknowledging and resolving, each step audited."""

from datetime import datetime, time

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from assessments.models import RiskFlag, WarningSign
from assessments.tasks import notify_urgent_flag, sign_in_link
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client
from clinic.lib.dates import add_business_days


def raise_flag(
    *,
    client: Client,
    severity: str,
    reasons: list[str],
    screening=None,
    warning_sign: WarningSign | None = None,
    exercise_checkin=None,
    session_checkin=None,
    request: HttpRequest | None = None,
    at=None,
) -> RiskFlag:
    flag = RiskFlag.objects.create(
        client=client,
        severity=severity,
        reasons=reasons,
        screening=screening,
        warning_sign=warning_sign,
        exercise_checkin=exercise_checkin,
        session_checkin=session_checkin,
        raised_at=at or timezone.now(),
    )
    # Only the severity and rule ids: what the client answered stays in the record, not the log.
    record(
        action=Action.FLAG_RAISED,
        request=request,
        target=flag,
        client=client,
        detail={"severity": severity, "reasons": reasons},
    )
    if severity == RiskFlag.Severity.URGENT:
        # Outside the app too, at once: a neutral email to the treating therapist, once the flag is saved.
        link = sign_in_link(request)
        transaction.on_commit(lambda: notify_urgent_flag.enqueue(flag.pk, link))
    return flag


def acknowledge_flag(*, flag: RiskFlag, by, note: str, request: HttpRequest) -> None:
    flag.acknowledge(by=by, note=note)
    record(action=Action.FLAG_ACKNOWLEDGED, request=request, actor=by, target=flag, client=flag.client)


def resolve_flag(*, flag: RiskFlag, by, note: str, request: HttpRequest) -> None:
    flag.resolve(by=by, note=note)
    record(action=Action.FLAG_RESOLVED, request=request, actor=by, target=flag, client=flag.client)


@transaction.atomic
def record_warning_sign(*, client: Client, fields: dict, by, request: HttpRequest) -> WarningSign:
    """Save a clinician's warning sign; a severe one raises an urgent flag at once."""
    sign = WarningSign.objects.create(client=client, recorded_by=by, **fields)
    record(
        action=Action.WARNING_SIGN_RECORDED,
        request=request,
        actor=by,
        target=sign,
        client=client,
        detail={"type": sign.type, "severity": sign.severity},
    )
    if sign.severity in (WarningSign.Severity.MODERATE, WarningSign.Severity.SEVERE):
        # A warning sign that matters suggests asking the safety questionnaire again (neutral task, safe notice).
        from assessments.rescreening import offer_safety_screen

        offer_safety_screen(client=client, reason="warning_sign", by=by, request=request)
    if sign.severity == WarningSign.Severity.SEVERE:
        raise_flag(
            client=client,
            severity=RiskFlag.Severity.URGENT,
            reasons=[f"warning_sign:{sign.type}"],
            warning_sign=sign,
            request=request,
        )
    return sign


def acknowledge_deadline(flag: RiskFlag):
    return add_business_days(timezone.localtime(flag.raised_at), settings.FLAG_ACK_BUSINESS_DAYS)


def start_of_today() -> datetime:
    """Midnight at the start of today, the practice's time."""
    return datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())


def flag_figures(*, at: datetime) -> dict[str, int]:
    """How many flags stood not acknowledged, not resolved, and not acknowledged in time at the instant `at`.

    Numbers only (admins see no content), read from each flag's own times, so that a figure as of an earlier
    instant stays the same however the flags have moved since. The practice page asks for the start of today:
    a figure that moved the moment a flag was raised or handled would date it, beside the audit log's row of
    the client's answers (see the README, "What an admin sees of flags").
    """
    raised = RiskFlag.objects.filter(raised_at__lt=at)
    unresolved = raised.exclude(resolved_at__lt=at)
    unacknowledged = unresolved.exclude(acknowledged_at__lt=at)
    overdue = sum(1 for flag in unacknowledged.only("raised_at") if acknowledge_deadline(flag) < at)
    return {
        "unacknowledged_flags": unacknowledged.count(),
        "unresolved_flags": unresolved.count(),
        "overdue_flags": overdue,
    }


def conjoint_not_advised(case: Case) -> bool:
    """An urgent flag on either partner of a couple case, not yet resolved: joint sessions wait for review.

    Acknowledging a flag says it was seen; only resolving it says the person at risk is safe enough.
    """
    if case.kind != Case.Kind.COUPLE:
        return False
    return RiskFlag.objects.urgent_unresolved().filter(client__memberships__case=case).exists()
