"""Power questionnaires answered some time ago, without going through the pages (the schedule reads only dates)."""

from datetime import datetime, timedelta

from django.utils import timezone

from assessments.models import Screening

# A partner's own answers: these figures must never show on the other partner's pages.
PARTNER_INDEX = 87.3


def answered(
    client, *, days_ago: int = 0, index: float = 42.0, key: str = "power", at: datetime | None = None
) -> Screening:
    """Submitted `days_ago` days ago, or at exactly `at` (a submitted row cannot be changed afterwards)."""
    at = at or timezone.now() - timedelta(days=days_ago)
    scores = (
        {"index": index, "band": "some", "band_label": "Some imbalance", "direction": "shared", "domains": []}
        if key == "power"
        else {"level": "none", "rules": []}
    )
    return Screening.objects.create(
        client=client,
        instrument_key=key,
        instrument_version=1,
        status=Screening.Status.SUBMITTED,
        scores=scores,
        result=scores.get("band") or scores["level"],
        assigned_at=at - timedelta(days=1),
        submitted_at=at,
        updated_at=at,
    )
