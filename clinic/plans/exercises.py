"""Between-session practice: assigning an exercise to each partner privately, and the client's check-ins.

Every assignment is one client's alone. Assigning to both partners makes two
assignments, each private; nothing of one is ever shown to the other.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client
from clinic.plans.models import Assignment, CheckIn, Exercise, Goal, Tried

# The reason a check-in's flag carries, in words for the therapist's flag list.
MADE_THINGS_WORSE = "exercise_checkin:made_things_worse"
CHECKIN_REASONS = {MADE_THINGS_WORSE: "The client said an exercise made things worse or did not feel safe to do."}


class CheckInRefused(ValueError):
    pass


class StaleCheckIn(Exception):
    """The check-in was saved elsewhere (another tab) since this page was opened; nothing was overwritten."""

    def __init__(self, current: CheckIn) -> None:
        self.current = current
        super().__init__(gettext("This check-in was changed in another window."))


@transaction.atomic
def assign(
    *,
    case: Case,
    clients: list[Client],
    exercise: Exercise,
    starts_on: date,
    ends_on: date,
    by,
    personal_note: str = "",
    goal: Goal | None = None,
    request: HttpRequest | None = None,
) -> list[Assignment]:
    """One private assignment per client, each with the exercise's words as they are today, in the client's
    language when the library has them (otherwise in the practice's own, and the assignment says which)."""
    made = []
    for client in clients:
        words = exercise.words_in(client.language)
        assignment = Assignment(
            case=case,
            client=client,
            exercise=exercise,
            goal=goal,
            practice=exercise.practice,
            title=words.title,
            instructions=words.instructions,
            suggested_length=words.suggested_length,
            language=words.language,
            personal_note=personal_note,
            starts_on=starts_on,
            ends_on=ends_on,
            assigned_by=by,
        )
        assignment.full_clean()
        assignment.save()
        record(
            action=Action.EXERCISE_ASSIGNED,
            request=request,
            actor=by,
            target=assignment,
            client=client,
            detail={"exercise": str(exercise.code), "practice": exercise.practice, "language": words.language},
        )
        made.append(assignment)
    return made


def draft_of(assignment: Assignment) -> CheckIn:
    """The assignment's check-in being written; a second tab finds the same one (one draft, in the database)."""
    existing = assignment.checkins.filter(sent_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CheckIn.objects.create(assignment=assignment)
    except IntegrityError:
        return assignment.checkins.get(sent_at__isnull=True)


@transaction.atomic
def save_checkin(
    *, checkin: CheckIn, tried: str, text: str, made_things_worse: bool, expected_revision: int | None = None
) -> CheckIn:
    """Keep what was typed (autosave). Refuses a sent check-in, and one saved elsewhere since `expected_revision`."""
    current = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if current.is_sent:
        raise CheckInRefused(gettext("This check-in was already sent."))
    if expected_revision is not None and current.revision != expected_revision:
        raise StaleCheckIn(current)
    if tried not in ("", *Tried.values):
        raise CheckInRefused(gettext("Choose whether you tried it: yes, partly or not yet."))
    current.tried, current.text, current.made_things_worse = tried, text, made_things_worse
    current.revision += 1
    current.updated_at = timezone.now()
    current.save(update_fields=["tried", "text", "made_things_worse", "revision", "updated_at"])
    return current


def send_checkin(*, checkin: CheckIn, request: HttpRequest | None = None) -> CheckIn:
    """Send once. "Made things worse or felt unsafe" raises an elevated flag for the therapist."""
    from assessments.flags import raise_flag
    from assessments.models import RiskFlag

    with transaction.atomic():
        current = CheckIn.objects.select_for_update().select_related("assignment__client").get(pk=checkin.pk)
        if current.is_sent:
            return current
        if not current.tried:
            raise CheckInRefused(gettext("Choose whether you tried it: yes, partly or not yet."))
        current.sent_at = timezone.now()
        current.save(update_fields=["sent_at"])
        client = current.assignment.client
        record(
            action=Action.CHECKIN_SENT,
            request=request,
            target=current.assignment,
            client=client,
            detail={"worse": current.made_things_worse},
        )
        if current.made_things_worse:
            raise_flag(
                client=client,
                severity=RiskFlag.Severity.ELEVATED,
                reasons=[MADE_THINGS_WORSE],
                exercise_checkin=current,
                request=request,
            )
    return current


def withdraw(*, assignments, by, request: HttpRequest | None = None, reason: str = "") -> int:
    """Withdraw each assignment not yet withdrawn (its client no longer sees it); how many were. Audited each."""
    now, count = timezone.now(), 0
    with transaction.atomic():
        for assignment in assignments.select_for_update().filter(withdrawn_at__isnull=True).select_related("client"):
            assignment.withdrawn_at = now
            assignment.save(update_fields=["withdrawn_at"])
            detail = {"reason": reason} if reason else {}
            record(
                action=Action.EXERCISE_WITHDRAWN,
                request=request,
                actor=by,
                target=assignment,
                client=assignment.client,
                detail=detail,
            )
            count += 1
    return count
