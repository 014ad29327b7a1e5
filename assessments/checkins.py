"""Session check-ins: offered after each attended session, answered once, read by the treating therapist only.

The instrument and the thresholds are in assessments/checkin_v1.py. Here:

- `offer_after_session` gives each client who was in an attended session a
  check-in (at most one each: a database constraint), open until
  SESSION_CHECKIN_DAYS after the session ends, as a neutral task on their home
  and, where they marked email as safe, a neutral notice. A session that has
  not happened yet, or ended longer ago than that, asks nothing.
- `save_answers` and `submit` keep what was chosen as the client goes and send
  it once; a closed (expired) or sent check-in refuses both.
- On sending: the safety rule (a low "safe to disagree" raises an elevated
  flag and offers the safety questionnaire again) and the balance rules
  (`evaluate_balance`) run in the same transaction.

Nothing here tells one partner anything about the other: whether they
answered, what they said or that an alert exists.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext

import assessments.catalogue  # noqa: F401  (registers the instruments)
from assessments.checkin_v1 import CHECKIN_INDIVIDUAL_V1, CHECKIN_V1, COMMENT_MAX, Rules
from assessments.flags import raise_flag
from assessments.framework import Instrument, registry, score
from assessments.models import BalanceAlert, RiskFlag, ScreeningLocked, SessionCheckIn
from assessments.screenings import chosen_answers
from assessments.translations import text_version
from clinic.accounts.reach import Kind
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client
from clinic.clients.notices import notify_something_new
from clinic.lib import language
from clinic.lib.charts import line_chart
from clinic.lib.http import storable
from clinic.notes.models import TherapySession

# The flag's reason id (a rule, never free text); its words for staff are in REASON_TEXTS.
UNSAFE_TO_DISAGREE = "checkin:unsafe_to_disagree"
REASON_TEXTS = {UNSAFE_TO_DISAGREE: "Session check-in: did not feel safe to disagree in the session"}


class CheckInClosed(Exception):
    """The check-in's time is over: it stays unanswered."""


class CommentChanged(Exception):
    """The optional line was changed in another window since this one loaded it: neither overwrites the other."""

    def __init__(self, stored: str) -> None:
        self.stored = stored
        super().__init__(gettext("The line was changed in another window."))


def comment_revision(text: str) -> str:
    """A short fingerprint of the saved line: the page sends back the one it started from."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class CommentTooLong(ValueError):
    def __init__(self) -> None:
        super().__init__(gettext("Please keep the last answer under %(limit)d characters.") % {"limit": COMMENT_MAX})


def rules() -> Rules:
    return settings.SESSION_CHECKIN


def instrument_for(session: TherapySession) -> Instrument:
    key = CHECKIN_V1.key if session.format == TherapySession.Format.CONJOINT else CHECKIN_INDIVIDUAL_V1.key
    return registry.latest(key)


def instrument_of(checkin: SessionCheckIn) -> Instrument:
    return registry.get(checkin.instrument_key, checkin.instrument_version)


def session_ends(session: TherapySession) -> datetime:
    return session.starts_at + timedelta(minutes=session.duration_minutes)


def people_in(session: TherapySession) -> list[Client]:
    if session.format == TherapySession.Format.CONJOINT:
        return list(session.case.clients.order_by("memberships__id"))
    return [session.individual_client]


def offer_after_session(
    *, session: TherapySession, request: HttpRequest | None = None, now: datetime | None = None, notify: bool = True
) -> list[SessionCheckIn]:
    """A check-in for each client of an attended session who can sign in; the new ones (none twice).

    `notify=False` (made-up history only) sends no notice.
    """
    now = now or timezone.now()
    expires = session_ends(session) + timedelta(days=rules().days)
    if session.attendance != TherapySession.Attendance.ATTENDED or session.starts_at > now or expires <= now:
        return []
    instrument = instrument_for(session)
    offered = []
    for client in people_in(session):
        if client.user_id is None or not client.user.is_active:
            continue
        try:
            with transaction.atomic():
                checkin = SessionCheckIn.objects.create(
                    session=session,
                    client=client,
                    instrument_key=instrument.key,
                    instrument_version=instrument.version,
                    assigned_at=now,
                    expires_at=expires,
                )
        except IntegrityError:
            continue  # offered already (a repeat, or at the same moment elsewhere)
        record(
            action=Action.SESSION_CHECKIN_ASSIGNED,
            request=request,
            target=checkin,
            client=client,
            detail={"session": str(session.code), "instrument": instrument.key, "version": instrument.version},
        )
        if notify:
            notify_something_new(client=client, request=request)
        offered.append(checkin)
    return offered


def answers_from(checkin: SessionCheckIn, data: QueryDict) -> tuple[dict[str, str], str | None]:
    """The choices sent (each on the scale, else InvalidAnswer) and the optional line (None if not sent)."""
    chosen = chosen_answers(instrument_of(checkin), data)
    comment = data.get("comment")
    if comment is not None:
        comment = storable(comment).strip()  # PostgreSQL refuses NUL in text
        if len(comment) > COMMENT_MAX:
            raise CommentTooLong
    return chosen, comment


@transaction.atomic
def save_answers(checkin: SessionCheckIn, data: QueryDict, *, now: datetime | None = None) -> SessionCheckIn:
    """Add what was sent to what is saved (a choice can be changed, never unanswered); nothing if refused.

    The line is replaced by what was sent, unless `revision` (the line the page started from) shows that
    another window changed it meanwhile: then CommentChanged, and nothing is saved.
    """
    chosen, comment = answers_from(checkin, data)
    locked = SessionCheckIn.objects.select_for_update().get(pk=checkin.pk)
    if locked.is_submitted:
        raise ScreeningLocked
    if locked.is_expired(now):
        raise CheckInClosed
    base = data.get("revision")
    if comment is not None and base and comment != locked.comment and base != comment_revision(locked.comment):
        # Another tab saved other words since this page loaded them: say so rather than write over them.
        raise CommentChanged(locked.comment)
    locked.answers = {**locked.answers, **chosen}
    if comment is not None:
        locked.comment = comment
    locked.status = SessionCheckIn.Status.DRAFT
    locked.updated_at = timezone.now()
    locked.save(update_fields=["answers", "comment", "status", "updated_at"])
    return locked


@dataclass
class Sent:
    checkin: SessionCheckIn
    again: bool  # it had been sent before: nothing changed
    flag: RiskFlag | None = None
    alerts: list[BalanceAlert] = field(default_factory=list)


def submit(checkin: SessionCheckIn, *, request: HttpRequest | None = None, now: datetime | None = None) -> Sent:
    """Score and lock it once (IncompleteAnswers if a line is not answered; CheckInClosed once expired)."""
    with transaction.atomic():
        # The case first: partners sending at once are judged one after the other, each seeing the other's
        # answers (otherwise each sees only its own and a pattern the two complete is missed).
        Case.objects.select_for_update(of=("self",)).filter(sessions__checkins=checkin.pk).first()
        locked = SessionCheckIn.objects.select_for_update().select_related("session__case", "client").get(pk=checkin.pk)
        if locked.is_submitted:
            return Sent(checkin=locked, again=True)
        if locked.is_expired(now):
            raise CheckInClosed
        scores = score(instrument=instrument_of(locked), answers=locked.answers)
        locked.status, locked.scores, locked.mean = SessionCheckIn.Status.SUBMITTED, scores, scores["mean"]
        locked.submitted_at = locked.updated_at = now or timezone.now()
        locked.language = language.current()
        locked.text_version = text_version(instrument_of(locked), locked.language)
        locked.save(
            update_fields=["status", "scores", "mean", "submitted_at", "updated_at", "language", "text_version"]
        )
        record(
            action=Action.SESSION_CHECKIN_SENT,
            request=request,
            target=locked,
            client=locked.client,
            detail={"instrument": locked.instrument_key, "version": locked.instrument_version},
        )
        sent = Sent(checkin=locked, again=False)
        if scores["safe_to_disagree"] <= rules().safe_low:
            sent.flag = raise_flag(
                client=locked.client,
                severity=RiskFlag.Severity.ELEVATED,
                reasons=[UNSAFE_TO_DISAGREE],
                session_checkin=locked,
                request=request,
                at=locked.submitted_at,
            )
            from assessments.rescreening import offer_safety_screen

            offer_safety_screen(client=locked.client, reason="session_checkin", request=request)
        sent.alerts = evaluate_balance(
            case=locked.session.case, client=locked.client, request=request, at=locked.submitted_at
        )
    return sent


# Balance alerts


def _sent_in_case(case: Case):
    return (
        SessionCheckIn.objects.submitted()
        .filter(session__case=case)
        .select_related("session")
        .order_by("-session__starts_at", "-session_id")
    )


def _raise(
    *, case: Case, client: Client, reason: str, session: TherapySession, detail: dict, request, at: datetime
) -> BalanceAlert | None:
    """One alert, unless one is open for this client and reason, or this session already raised it once."""
    alerts = BalanceAlert.objects.filter(case=case, client=client, reason=reason)
    if alerts.filter(resolved_at__isnull=True).exists() or alerts.filter(session=session).exists():
        return None
    try:
        with transaction.atomic():
            alert = BalanceAlert.objects.create(
                case=case, client=client, reason=reason, session=session, detail=detail, raised_at=at
            )
    except IntegrityError:
        return None  # raised at the same moment by the partner's check-in
    record(action=Action.BALANCE_ALERT_RAISED, request=request, target=alert, client=client, detail={"reason": reason})
    return alert


def lower_pattern(means: list[tuple[float, float]], rule: Rules) -> int | None:
    """Which partner (0 or 1) rates lower in at least `gap_sessions` of the newest `window` pairs; else None.

    `means` holds (first partner's mean, second partner's mean) per conjoint session, newest first.
    """
    window = means[: rule.window]
    for who, other in ((0, 1), (1, 0)):
        # Rounded to the tenth the means are kept in: 8.2 - 6.2 is 1.9999999999999991 in floating point.
        if sum(1 for pair in window if round(pair[other] - pair[who], 1) >= rule.gap) >= rule.gap_sessions:
            return who
    return None


def fell_sharply(latest: float, before: list[float], rule: Rules) -> bool:
    """The newest mean is `drop` or more below the mean of the (up to three) before it."""
    earlier = before[:3]
    return bool(earlier) and round(sum(earlier) / len(earlier) - latest, 1) >= rule.drop


def evaluate_balance(
    *, case: Case, client: Client, request: HttpRequest | None = None, at: datetime | None = None
) -> list[BalanceAlert]:
    """Apply the balance rules to the case after `client` sent a check-in; the alerts raised."""
    rule, at = rules(), at or timezone.now()
    sent = list(_sent_in_case(case))
    raised = []
    own = [c for c in sent if c.client_id == client.pk]
    if own and fell_sharply(own[0].mean, [c.mean for c in own[1:]], rule):
        earlier = [c.mean for c in own[1:4]]
        detail = {"latest": own[0].mean, "before": round(sum(earlier) / len(earlier), 1)}
        raised.append(
            _raise(
                case=case,
                client=client,
                reason=BalanceAlert.Reason.DROP,
                session=own[0].session,
                detail=detail,
                request=request,
                at=at,
            )
        )
    partners = list(case.clients.order_by("memberships__id"))
    if case.kind == Case.Kind.COUPLE and len(partners) == 2:
        by_session: dict[int, dict[int, SessionCheckIn]] = {}
        for checkin in sent:
            if checkin.session.format == TherapySession.Format.CONJOINT:
                by_session.setdefault(checkin.session_id, {})[checkin.client_id] = checkin
        both = {partners[0].pk, partners[1].pk}
        pairs = [s for s in by_session.values() if both <= set(s)]  # newest first, as `sent` is ordered
        means = [(s[partners[0].pk].mean, s[partners[1].pk].mean) for s in pairs]
        who = lower_pattern(means, rule)
        if who is not None:
            newest = pairs[0][partners[who].pk].session
            window = means[: rule.window]
            detail = {"own": [m[who] for m in window], "other": [m[1 - who] for m in window]}
            raised.append(
                _raise(
                    case=case,
                    client=partners[who],
                    reason=BalanceAlert.Reason.LOWER,
                    session=newest,
                    detail=detail,
                    request=request,
                    at=at,
                )
            )
    return [a for a in raised if a is not None]


@transaction.atomic
def resolve_alert(*, alert: BalanceAlert, by, note: str, request: HttpRequest) -> bool:
    """Mark it looked at and addressed; False if it was already resolved (nothing changes)."""
    updated = BalanceAlert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by, resolve_note=note
    )
    if updated:
        record(action=Action.BALANCE_ALERT_RESOLVED, request=request, actor=by, target=alert, client=alert.client)
    return bool(updated)


# What staff read


@dataclass
class SessionAnswers:
    client: Client
    checkin: SessionCheckIn | None
    rows: list[dict] = field(default_factory=list)  # {"text", "value", "low"} per line, once sent


def answers_for_session(session: TherapySession) -> list[SessionAnswers]:
    """Each client of the session with their check-in (or None: not offered) and its answers once sent."""
    checkins = {c.client_id: c for c in session.checkins.all()}
    result = []
    for client in people_in(session):
        checkin = checkins.get(client.pk)
        rows = []
        if checkin is not None and checkin.is_submitted:
            instrument = instrument_of(checkin)
            low = rules().safe_low
            values = checkin.scores["items"]
            rows = [{"text": i.text, "value": values[i.id], "low": values[i.id] <= low} for i in instrument.items]
        result.append(SessionAnswers(client=client, checkin=checkin, rows=rows))
    return result


def case_trends(case: Case) -> dict[Client, list[tuple[date, float]]]:
    """Each client's check-in means over the case's sessions, oldest first (staff only)."""
    clients = list(case.clients.order_by("memberships__id"))
    trends: dict[Client, list[tuple[date, float]]] = {c: [] for c in clients}
    by_pk = {c.pk: c for c in clients}
    for checkin in reversed(list(_sent_in_case(case))):
        if checkin.client_id in by_pk:
            trends[by_pk[checkin.client_id]].append((timezone.localdate(checkin.session.starts_at), checkin.mean))
    return trends


def recent_sessions(case: Case, *, count: int = 8) -> list[dict]:
    """The case's last `count` attended sessions with each client's check-in (for the case page's table)."""
    sessions = (
        case.sessions.filter(attendance=TherapySession.Attendance.ATTENDED, starts_at__lte=timezone.now())
        .select_related("individual_client")
        .prefetch_related("checkins")
        .order_by("-starts_at")[:count]
    )
    clients = list(case.clients.order_by("memberships__id"))
    rows = []
    for session in sessions:
        mine = {c.client_id: c for c in session.checkins.all()}
        present = clients if session.format == TherapySession.Format.CONJOINT else [session.individual_client]
        cells = [mine.get(c.pk) if c in present else False for c in clients]
        rows.append({"session": session, "cells": cells})
    return rows


def own_trend(client: Client) -> list[tuple[date, float]]:
    """A client's own check-in means, oldest first: for their own progress page."""
    sent = client.session_checkins.submitted().select_related("session").order_by("session__starts_at", "id")
    return [(timezone.localdate(c.session.starts_at), c.mean) for c in sent]


def case_context(*, case: Case, user, request: HttpRequest) -> dict:
    """The case page's check-in section: for whoever reads session check-ins on a page (clinic.accounts.reach):
    the treating therapist only, not a supervisor, not an admin."""
    if not case.reaches(user, Kind.SESSION_CHECKINS):
        return {}
    trends = case_trends(case)
    rows = recent_sessions(case)
    alerts = list(case.balance_alerts.select_related("client", "session", "resolved_by").order_by("-raised_at")[:10])
    if any(trends.values()) or alerts:
        record(action=Action.SESSION_CHECKINS_VIEWED, request=request, target=case)
    series = {client.display_name: values for client, values in trends.items() if values}
    return {
        "checkin_clients": list(trends),
        "checkin_rows": rows,
        "checkin_chart": line_chart(series, title="Session check-ins: average per session", maximum=10)
        if series
        else None,
        "open_alerts": [a for a in alerts if a.is_open],
        "resolved_alerts": [a for a in alerts if not a.is_open],
        "now": timezone.now(),
    }


def open_alerts_for(therapist):
    """The dashboard's list: open balance alerts in the therapist's own open cases, oldest first."""
    return (
        BalanceAlert.objects.filter(
            resolved_at__isnull=True, case__primary_therapist=therapist, case__status=Case.Status.OPEN
        )
        .select_related("case", "client")
        .prefetch_related(Prefetch("case__clients", queryset=Client.objects.order_by("memberships__id")))
        .order_by("raised_at")
    )
