"""Writing a treatment plan: start it, save drafts, sign, review, and a client's acknowledgement. Each step audited."""

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from clinic.audit.events import record
from clinic.audit.models import Action
from clinic.clients.models import Case, Client
from clinic.plans.models import (
    Goal,
    PlanAcknowledgement,
    PlanLocked,
    PlanRefused,
    PlanStatus,
    PlanVersion,
    TreatmentPlan,
)

# Fields of a goal that a review copies into the new version (its progress is marked afresh).
GOAL_COPIED = (
    "lineage",
    "practice",
    "client",
    "statement",
    "progress_shows",
    "measure_instrument",
    "measure_domain",
    "measure_direction",
    "measure_target",
    "target_date",
    "position",
)


def concerns_from_intakes(case: Case) -> str:
    """Each client's "what brings you" from their submitted intake, under their name, for the therapist to edit."""
    from intake.models import Intake

    parts = []
    intakes = Intake.objects.filter(client__memberships__case=case, status="submitted").select_related("client")
    for intake in intakes.order_by("client__id"):
        words = str(intake.section_answers("reasons").get("reasons", "")).strip()
        if words:
            parts.append(f"{intake.client.display_name}: {words}")
    return "\n\n".join(parts)


@transaction.atomic
def start_plan(*, case: Case, by, request: HttpRequest | None = None) -> PlanVersion:
    """The case's plan, with its first version as a draft; an existing plan's current draft if there is one."""
    plan, created = TreatmentPlan.objects.get_or_create(case=case, defaults={"created_by": by})
    if not created:
        draft = plan.draft()
        if draft is not None:
            return draft
        if plan.versions.exists():
            raise PlanRefused("This plan is signed; start a review to change it.")
    version = PlanVersion.objects.create(plan=plan, number=1, concerns=concerns_from_intakes(case), created_by=by)
    record(action=Action.PLAN_STARTED, request=request, actor=by, target=version, detail={"case": str(case.code)})
    return version


def start_review(*, plan: TreatmentPlan, by, request: HttpRequest | None = None) -> PlanVersion:
    """A new draft version from the version in force: same goals (same lineage), progress to be marked.

    A second click, or a second tab, finds the same draft (one draft per plan, in the database).
    """
    try:
        with transaction.atomic():
            reviewed = plan.versions.select_for_update().filter(status=PlanStatus.SIGNED).order_by("-number").first()
            if reviewed is None:
                raise PlanRefused("Sign the plan before reviewing it.")
            draft = plan.draft()
            if draft is not None:
                return draft
            version = PlanVersion.objects.create(
                plan=plan,
                number=reviewed.number + 1,
                reviews=reviewed,
                concerns=reviewed.concerns,
                safety_included=reviewed.safety_included,
                safety_individual_first=reviewed.safety_individual_first,
                safety_conjoint_paused=reviewed.safety_conjoint_paused,
                safety_planning=reviewed.safety_planning,
                ask_acknowledgement=reviewed.ask_acknowledgement,
                created_by=by,
            )
            Goal.objects.bulk_create(
                Goal(version=version, carried_over=True, **{name: getattr(goal, name) for name in GOAL_COPIED})
                for goal in reviewed.goals.all()
            )
    except IntegrityError:
        draft = plan.draft()
        if draft is None:
            raise
        return draft
    record(
        action=Action.PLAN_REVIEW_STARTED,
        request=request,
        actor=by,
        target=version,
        detail={"reviews": str(reviewed.code), "number": version.number},
    )
    # Fresh answers to the power questionnaire before the review is signed (see assessments.rescreening).
    from assessments.rescreening import rescreen_at_review

    rescreen_at_review(case=plan.case, by=by, request=request)
    return version


def sign_version(
    *,
    version: PlanVersion,
    by,
    at=None,
    request: HttpRequest | None = None,
    expected_revision=None,
    words_confirmed: bool = False,
) -> None:
    """Sign the version; words that name a partner beside a score must be `words_confirmed` (PlanVersion.sign)."""
    version.sign(by=by, at=at, expected_revision=expected_revision, words_confirmed=words_confirmed)
    record(
        action=Action.PLAN_SIGNED,
        request=request,
        actor=by,
        target=version,
        detail={"number": version.number, "hash": version.content_hash},
    )


def acknowledge(
    *, version: PlanVersion, client: Client, typed_name: str, request: HttpRequest | None = None
) -> PlanAcknowledgement:
    """The client's typed-name acknowledgement of what they were shown of a signed version; once per version."""
    if not version.is_signed or not version.ask_acknowledgement:
        raise PlanRefused(gettext("There is nothing to acknowledge here."))
    if not typed_name.strip():
        raise PlanRefused(gettext("Type your name to acknowledge."))
    try:
        with transaction.atomic():
            ack = PlanAcknowledgement.objects.create(version=version, client=client, typed_name=typed_name.strip())
    except IntegrityError:
        return PlanAcknowledgement.objects.get(version=version, client=client)
    record(action=Action.PLAN_ACKNOWLEDGED, request=request, target=version, client=client)
    return ack


class StalePlan(Exception):
    """The draft was saved elsewhere (another tab, another device) since this page was opened: nothing saved."""

    def __init__(self, current: PlanVersion) -> None:
        super().__init__("saved elsewhere")
        self.current = current


def _locked_draft(version: PlanVersion, expected_revision: int | None) -> PlanVersion:
    current = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if current.is_signed:
        raise PlanLocked
    if expected_revision is not None and current.revision != expected_revision:
        raise StalePlan(current)
    return current


# The version's fields a draft save may change.
DRAFT_FIELDS = (
    "concerns",
    "safety_included",
    "safety_individual_first",
    "safety_conjoint_paused",
    "safety_planning",
    "review_summary",
    "ask_acknowledgement",
)


@transaction.atomic
def save_draft(
    *,
    version: PlanVersion,
    fields: dict,
    goals: dict,
    expected_revision: int | None,
    by,
    request: HttpRequest | None = None,
) -> PlanVersion:
    """Save a draft's fields and its goals' fields ({goal code: {field: value}}) as one new revision.

    Raises StalePlan, saving nothing, when the draft changed since `expected_revision`.
    """
    current = _locked_draft(version, expected_revision)
    for name, value in fields.items():
        if name in DRAFT_FIELDS:
            setattr(current, name, value)
    current.revision += 1
    current.updated_at = timezone.now()
    current.save(update_fields=[*(n for n in DRAFT_FIELDS if n in fields), "revision", "updated_at"])
    changed = []
    for goal in current.goals.all():
        values = goals.get(goal.code) or goals.get(str(goal.code))
        if values:
            for name, value in values.items():
                setattr(goal, name, value)
            changed.append(goal)
    names = sorted({name for values in goals.values() for name in values})
    if changed and names:
        Goal.objects.bulk_update(changed, names)
    record(
        action=Action.PLAN_SAVED,
        request=request,
        actor=by,
        target=current,
        detail={"number": current.number, "revision": current.revision},
    )
    return current


@transaction.atomic
def add_goal(
    *, version: PlanVersion, practice: str, client: Client | None, by, request: HttpRequest | None = None
) -> Goal:
    """An empty goal at the end of its practice (shared, or `client`'s own); a new revision of the draft."""
    current = _locked_draft(version, None)
    last = current.goals.filter(practice=practice).order_by("-position").values_list("position", flat=True).first()
    goal = Goal(version=current, practice=practice, client=client, statement="", position=(last or 0) + 1)
    if client is not None:
        goal.clean()
    goal.save()
    current.revision += 1
    current.save(update_fields=["revision"])
    detail = {"number": current.number, "revision": current.revision, "added_goal": str(goal.code)}
    record(action=Action.PLAN_SAVED, request=request, actor=by, target=current, detail=detail)
    return goal


@transaction.atomic
def remove_goal(*, version: PlanVersion, goal_code, by, request: HttpRequest | None = None) -> bool:
    """Take a goal out of a draft (a signed version keeps its goals). False when it is not this draft's."""
    current = _locked_draft(version, None)
    deleted, _ = current.goals.filter(code=goal_code).delete()
    if deleted:
        current.revision += 1
        current.save(update_fields=["revision"])
        detail = {"number": current.number, "revision": current.revision, "removed_goal": str(goal_code)}
        record(action=Action.PLAN_SAVED, request=request, actor=by, target=current, detail=detail)
    return bool(deleted)
