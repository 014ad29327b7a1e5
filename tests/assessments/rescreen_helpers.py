"""Power questionnaires answered some time ago, without going through the pages (the schedule reads only dates)."""

from datetime import timedelta

from django.utils import timezone

from assessments.models import Screening

# A partner's own answers: these figures must never show on the other partner's pages.
PARTNER_INDEX = 87.3


def answered(client, *, days_ago: int, index: float = 42.0, key: str = "power") -> Screening:
    at = timezone.now() - timedelta(days=days_ago)
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
