"""Which plans are due for review, for many cases at once (the dashboard).

`PlanVersion.review_due()` answers for one version with a query of its own;
this asks the same for all of a therapist's cases in a fixed number of
queries, with the same rule and words: a review is due PLAN_REVIEW_DAYS days
after signing, or after PLAN_REVIEW_SESSIONS attended sessions since signing.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from clinic.clients.models import Case, Client
from clinic.plans.models import PlanStatus, PlanVersion


def plans_due_for_review(*, therapist, today=None) -> list[dict]:
    """The plans in force of `therapist`'s open cases that are due for review, oldest signature first.

    Each item: {"case", "version", "reasons" (in words), "review_draft" (a review is already being written)}.
    Two queries, whatever the number of cases.
    """
    from clinic.notes.models import TherapySession

    today = today or timezone.localdate()
    now = timezone.now()
    # Signed on or before this local day: PLAN_REVIEW_DAYS days or more ago.
    last_day = today - timedelta(days=settings.PLAN_REVIEW_DAYS)
    signed_before = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    newer = PlanVersion.objects.filter(plan=OuterRef("plan"), status=PlanStatus.SIGNED, number__gt=OuterRef("number"))
    held = (
        TherapySession.objects.filter(
            case=OuterRef("plan__case"),
            attendance=TherapySession.Attendance.ATTENDED,
            starts_at__gt=OuterRef("signed_at"),
            starts_at__lte=now,
        )
        .order_by()
        .values("case")
        .annotate(n=Count("id"))
        .values("n")
    )
    draft = PlanVersion.objects.filter(plan=OuterRef("plan"), status=PlanStatus.DRAFT)
    members = Prefetch("plan__case__clients", queryset=Client.objects.order_by("memberships__id"))
    versions = (
        PlanVersion.objects.filter(status=PlanStatus.SIGNED, plan__case__in=Case.objects.visible_to(therapist).open())
        .filter(~Exists(newer))
        .annotate(
            held=Coalesce(Subquery(held, output_field=IntegerField()), Value(0)),
            review_draft=Exists(draft),
        )
        .filter(Q(signed_at__lt=signed_before) | Q(held__gte=settings.PLAN_REVIEW_SESSIONS))
        .select_related("plan__case")
        .prefetch_related(members)
        .order_by("signed_at", "id")
    )
    due = []
    for version in versions:
        reasons = []
        days = (today - timezone.localdate(version.signed_at)).days
        if days >= settings.PLAN_REVIEW_DAYS:
            reasons.append(f"{days} days since this plan was signed (review every {settings.PLAN_REVIEW_DAYS}).")
        if version.held >= settings.PLAN_REVIEW_SESSIONS:
            reasons.append(
                f"{version.held} sessions since this plan was signed (review every {settings.PLAN_REVIEW_SESSIONS})."
            )
        due.append(
            {"case": version.plan.case, "version": version, "reasons": reasons, "review_draft": version.review_draft}
        )
    return due
