"""Screenings: assign, save as answered, submit once (scoring and safety rules), compare partners."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone

import assessments.catalogue  # noqa: F401  (registers the instruments)
from assessments.catalogue import INITIAL
from assessments.flags import raise_flag
from assessments.framework import Instrument, check_answer, registry, score
from assessments.models import RiskFlag, Screening
from assessments.translations import text_version
from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Client
from clinic.lib import language

# Partners' domain scores this far apart are a perception gap worth naming.
GAP_POINTS = 25.0


def instrument_of(screening: Screening) -> Instrument:
    return registry.get(screening.instrument_key, screening.instrument_version)


def assign(*, client: Client, key: str, by=None, request: HttpRequest | None = None, reason: str = "") -> Screening:
    """The client's open screening for `key`, or a new one on the latest version.

    `reason` (an identifier, e.g. "rhythm", "plan_review", "warning_sign") goes into the audit event.
    """
    existing = client.screenings.open().filter(instrument_key=key).first()
    if existing is not None:
        return existing
    instrument = registry.latest(key)
    try:
        with transaction.atomic():
            screening = Screening.objects.create(
                client=client, instrument_key=key, instrument_version=instrument.version, assigned_by=by
            )
    except IntegrityError:
        # Assigned at the same moment elsewhere (the one-open-per-instrument constraint).
        return client.screenings.open().get(instrument_key=key)
    record(
        action=Action.SCREENING_ASSIGNED,
        request=request,
        actor=by,
        target=screening,
        client=client,
        detail={"instrument": key, "version": instrument.version, **({"reason": reason} if reason else {})},
    )
    return screening


def assign_initial(*, client: Client, request: HttpRequest | None = None) -> None:
    for key in INITIAL:
        if not client.screenings.filter(instrument_key=key).exists():
            assign(client=client, key=key, request=request)


def answers_from(screening: Screening, data: QueryDict) -> dict[str, str]:
    """This instrument's questions as sent, each one of its choices (as plain digits); other fields are ignored.

    Raises InvalidAnswer (naming the question, never the value) if any answer is
    not one of the choices: the caller then stores nothing.
    """
    return chosen_answers(instrument_of(screening), data)


def chosen_answers(instrument: Instrument, data: QueryDict) -> dict[str, str]:
    """The answers sent for `instrument`'s questions (see answers_from); for screenings and session check-ins."""
    return {
        item.id: str(check_answer(instrument, item, data[item.id]))
        for item in instrument.items
        if data.get(item.id, "") != ""
    }


def save_answers_from(screening: Screening, data: QueryDict) -> None:
    """Add what was sent to the answers saved so far (a choice can be changed, never unanswered).

    An older tab, or a request that carries fewer answers, never erases saved ones.
    """
    sent = answers_from(screening, data)
    screening.save_answers({**screening.answers, **sent})


@dataclass
class Submitted:
    screening: Screening
    flag: RiskFlag | None
    urgent: bool


def submit(*, screening: Screening, request: HttpRequest | None = None, at=None) -> Submitted:
    """Score and lock the screening once; raise a flag if its safety rules say so.

    Raises IncompleteAnswers / InvalidAnswer (with messages for people) when
    it cannot be scored yet. A repeat submission changes nothing.
    """
    instrument = instrument_of(screening)
    scores = score(instrument=instrument, answers=screening.answers)
    result = scores.get("level") or scores.get("band", "")
    with transaction.atomic():
        answered_in = language.current()
        wording = text_version(instrument, answered_in)
        if not screening.mark_submitted(
            scores=scores, result=result, at=at, language=answered_in, text_version=wording
        ):
            return Submitted(screening=screening, flag=screening.risk_flags.first(), urgent=result == "urgent")
        record(
            action=Action.SCREENING_SUBMITTED,
            request=request,
            target=screening,
            client=screening.client,
            detail={"instrument": instrument.key, "version": instrument.version},
        )
        flag = None
        if instrument.has_safety_rules and scores["level"] in (RiskFlag.Severity.URGENT, RiskFlag.Severity.ELEVATED):
            flag = raise_flag(
                client=screening.client,
                severity=scores["level"],
                reasons=scores["rules"],
                screening=screening,
                request=request,
                at=at,
            )
    return Submitted(screening=screening, flag=flag, urgent=result == "urgent")


def latest_submitted(client: Client, key: str) -> Screening | None:
    return client.screenings.submitted().filter(instrument_key=key).order_by("-submitted_at", "-id").first()


def compare(first: Screening, second: Screening) -> dict:
    """Two partners' power screenings side by side: per-domain gaps and whether they see opposite leanings."""
    mine = {d["key"]: d for d in first.scores["domains"]}
    theirs = {d["key"]: d for d in second.scores["domains"]}
    rows = []
    for key, domain in mine.items():
        other = theirs.get(key)
        if other is None:
            continue
        gap = round(abs(domain["score"] - other["score"]), 1)
        rows.append(
            {
                "key": key,
                "title": domain["title"],
                "a": domain["score"],
                "b": other["score"],
                "gap": gap,
                "wide": gap >= GAP_POINTS,
            }
        )
    # Each answers "as they see it": if both say the say leans toward their partner (or both toward
    # themselves), they see power leaning in opposite directions.
    opposite = first.scores["direction"] == second.scores["direction"] != "shared"
    answered = [timezone.localdate(s.submitted_at) for s in (first, second)]
    return {
        # Answers from different days may differ because things changed in between: the page says so.
        "days_apart": abs((answered[0] - answered[1]).days),
        "rows": rows,
        "index_gap": round(abs(first.scores["index"] - second.scores["index"]), 1),
        "opposite_directions": opposite,
        "wide_count": sum(1 for r in rows if r["wide"]),
    }
