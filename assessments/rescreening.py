"""Asking questionnaires again: the power questionnaire on a rhythm, the safety questionnaire when something suggests it.

When the power questionnaire is due again:
- RESCREEN_WEEKS (default 6) after the client last sent it, for a client in an
  open case who has a login. `assign_due()` assigns it; it runs daily from
  `manage.py assign_rescreenings` (cron or a systemd timer in production; once
  at start in `make run`), which can also put the work on the task queue.
- when the therapist starts a plan review (`rescreen_at_review`, called by
  `clinic.plans.planning.start_review`): fresh answers are there before the
  review is signed.

The safety questionnaire is offered again (`offer_safety_screen`) when the
therapist asks for it (the button on the client record), when a moderate or
severe warning sign is recorded, or when a session check-in suggests it (the
check-in code calls `offer_safety_screen(..., reason="session_checkin")`).
After a warning sign the task appears without an email (see offer_safety_screen).

Each is idempotent: a client has at most one open screening per instrument
(a database constraint), and an open one is never assigned twice, so a run
repeated, or a review started twice, asks nothing more and sends no second
notice. The client sees a neutral task on their home, and a neutral email
only where they marked email as safe.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from assessments.models import Screening
from assessments.screenings import assign
from clinic.clients.models import Case, Client, Membership
from clinic.clients.notices import notify_something_new

POWER, SAFETY = "power", "safety"


def _last_sent(key: str):
    return Subquery(
        Screening.objects.submitted()
        .filter(client=OuterRef("pk"), instrument_key=key)
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )


def _open(key: str):
    return Screening.objects.open().filter(client=OuterRef("pk"), instrument_key=key)


def cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(weeks=settings.RESCREEN_WEEKS)


def in_care() -> QuerySet[Client]:
    """Clients in an open case who can sign in to answer."""
    open_cases = Membership.objects.filter(client=OuterRef("pk"), case__status=Case.Status.OPEN)
    return Client.objects.filter(Exists(open_cases), user__isnull=False)


def due_clients(*, now: datetime | None = None) -> QuerySet[Client]:
    """Clients whose last power questionnaire was sent more than RESCREEN_WEEKS ago and who have no open one."""
    return (
        in_care()
        .annotate(last_power=_last_sent(POWER))
        .filter(last_power__lt=cutoff(now))
        .exclude(Exists(_open(POWER)))
    )


def offer(
    *, client: Client, key: str, reason: str, by=None, request: HttpRequest | None = None, notify: bool = True
) -> Screening | None:
    """Assign `key` to `client` and tell them in neutral words; None (and no notice) if one is already open."""
    if client.screenings.open().filter(instrument_key=key).exists():
        return None
    screening = assign(client=client, key=key, by=by, request=request, reason=reason)
    if notify:
        notify_something_new(client=client, request=request)
    return screening


def assign_due(*, now: datetime | None = None) -> int:
    """Assign the power questionnaire to every client due for it; the number assigned. Safe to run again."""
    assigned = 0
    for client in due_clients(now=now).order_by("pk"):
        if offer(client=client, key=POWER, reason="rhythm") is not None:
            assigned += 1
    return assigned


def rescreen_at_review(*, case: Case, by, request: HttpRequest | None = None) -> list[Screening]:
    """At a plan review, the power questionnaire again for each client of the case who has answered it before."""
    clients = in_care().filter(memberships__case=case).annotate(last_power=_last_sent(POWER))
    offered = []
    for client in clients.filter(last_power__isnull=False).order_by("pk"):
        screening = offer(client=client, key=POWER, reason="plan_review", by=by, request=request)
        if screening is not None:
            offered.append(screening)
    return offered


def offer_safety_screen(
    *, client: Client, reason: str, by=None, request: HttpRequest | None = None
) -> Screening | None:
    """The safety questionnaire again for `client` (reason: "therapist", "warning_sign", "session_checkin").

    The one function every trigger calls; None if one is already waiting for the client. After a warning
    sign, or a check-in that said it did not feel safe to disagree, no email goes out: an email arriving just
    after something worrying was reported may be noticed by the person it was about; the task waits on the
    client's home (where a check-in's author is at that moment) and the therapist follows up in person.
    """
    notify = reason not in ("warning_sign", "session_checkin")
    return offer(client=client, key=SAFETY, reason=reason, by=by, request=request, notify=notify)


def due_for_therapist(*, therapist, now: datetime | None = None) -> list[Client]:
    """The dashboard's list: the therapist's clients whose power questionnaire is due, asked or not yet.

    Each has `last_power`, `asked_at` (None if not yet assigned) and `own_memberships` (their case with
    this therapist, its clients prefetched for its label). Three queries, whatever the number of clients.
    """
    asked = Subquery(_open(POWER).order_by("-assigned_at").values("assigned_at")[:1])
    mine = Membership.objects.filter(case__primary_therapist=therapist, case__status=Case.Status.OPEN)
    clients = (
        in_care()
        .filter(Exists(mine.filter(client=OuterRef("pk"))))
        .annotate(last_power=_last_sent(POWER), asked_at=asked)
        .filter(last_power__lt=cutoff(now))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=mine.select_related("case").prefetch_related(
                    Prefetch("case__clients", queryset=Client.objects.order_by("memberships__id"))
                ),
                to_attr="own_memberships",
            )
        )
        .order_by("last_power", "pk")
    )
    return list(clients)
