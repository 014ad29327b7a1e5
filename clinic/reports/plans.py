"""Treatment plan material for the PDFs: the plan for the record, and the plan parts of the case summary.

The plan PDF is internal (the record): it holds both partners' individual
goals, each labelled. What a client's own documents hold of a plan is decided
in clinic.reports.summaries (gather) and clinic.releases.contents (build).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from clinic.clients.models import Case
from clinic.notes.models import Practice
from clinic.plans.models import Goal, PlanAcknowledgement, PlanVersion, TreatmentPlan


def by_practice(goals) -> list[tuple[str, list]]:
    """Goals grouped under the four practices, in the practices' own order; practices without goals left out."""
    grouped: dict[str, list] = {value: [] for value in Practice.values}
    for goal in goals:
        grouped[goal.practice].append(goal)
    labels = dict(Practice.choices)
    return [(labels[value], items) for value, items in grouped.items() if items]


def in_order(goals) -> list:
    """Shared goals first, then individual ones by partner; within each, in the practices' order."""
    rank = {value: i for i, value in enumerate(Practice.values)}
    return sorted(goals, key=lambda g: (g.client_id is not None, g.client_id or 0, rank[g.practice], g.position, g.pk))


@dataclass
class PartnerGoals:
    client: object
    groups: list


@dataclass
class PlanRecord:
    plan: TreatmentPlan
    version: PlanVersion
    shared: list
    partners: list[PartnerGoals]
    # Every signed version up to `version`, oldest first; each carries its goals, signature and acknowledgements.
    history: list
    reviews: list = field(default_factory=list)


def _versions(plan: TreatmentPlan):
    goals = Goal.objects.select_related("client").order_by("position", "id")
    acks = PlanAcknowledgement.objects.select_related("client").order_by("acknowledged_at")
    return (
        plan.versions.signed()
        .select_related("signed_by")
        .prefetch_related(
            Prefetch("goals", queryset=goals, to_attr="all_goals"),
            Prefetch("acknowledgements", queryset=acks, to_attr="all_acks"),
        )
        .order_by("number")
    )


def signed_versions(plan: TreatmentPlan) -> list[PlanVersion]:
    return list(plan.versions.signed().order_by("-number"))


def plan_record(*, plan: TreatmentPlan, number: int | None = None) -> PlanRecord | None:
    """The plan as signed at version `number` (default: the version in force) with every review and signature before it."""
    history = list(_versions(plan))
    if number is not None:
        history = [v for v in history if v.number <= number]
    if not history:
        return None
    version = history[-1]
    partners = list(plan.case.clients.order_by("memberships__id"))
    for v in history:
        v.hash_verified = v.verify()
        v.shared_groups = by_practice(g for g in v.all_goals if g.client_id is None)
        v.ordered_goals = in_order(v.all_goals)
    return PlanRecord(
        plan=plan,
        version=version,
        shared=version.shared_groups,
        partners=[
            PartnerGoals(client=p, groups=by_practice(g for g in version.all_goals if g.client_id == p.pk))
            for p in partners
        ],
        history=history,
        reviews=[v for v in history if v.is_review],
    )


@dataclass
class CasePlan:
    version: PlanVersion | None
    shared: list
    # (client, [goals]) for each partner, side by side.
    partners: list
    review_due: list


def case_plan(case: Case, partners: list) -> CasePlan:
    """The plan in force for the case summary: shared goals with their latest progress, each partner's own goals."""
    version = PlanVersion.objects.signed().filter(plan__case=case).select_related("plan").order_by("-number").first()
    if version is None:
        return CasePlan(version=None, shared=[], partners=[(p, []) for p in partners], review_due=[])
    goals = list(version.goals.order_by("position", "id"))
    return CasePlan(
        version=version,
        shared=by_practice(g for g in goals if g.client_id is None),
        partners=[(p, [g for g in goals if g.client_id == p.pk]) for p in partners],
        review_due=version.review_due(),
    )
