"""Helpers for the plan page tests: the editor's form as the page would post it, and a few plans to read."""

from django.urls import reverse

from clinic.plans.models import Goal, PlanVersion
from clinic.plans.planning import sign_version, start_plan

GOAL_FIELDS = ("statement", "progress_shows", "measure", "direction", "target", "target_date")


def url(name: str, case, **kw) -> str:
    return reverse(name, kwargs={"code": case.code, **kw})


def editor_data(version: PlanVersion, **changes) -> dict:
    """What the editor posts for `version` as stored, with `changes` (field names as posted) on top."""
    version.refresh_from_db()
    data = {
        "revision": str(version.revision),
        "concerns": version.concerns,
        "safety_planning": version.safety_planning,
        "review_summary": version.review_summary,
    }
    for name in ("safety_individual_first", "safety_conjoint_paused", "ask_acknowledgement"):
        if getattr(version, name):
            data[name] = "on"
    for goal in version.goals.all():
        prefix = f"goal-{goal.code}-"
        data |= {
            prefix + "statement": goal.statement,
            prefix + "progress_shows": goal.progress_shows,
            prefix + "measure": f"{goal.measure_instrument}:{goal.measure_domain}" if goal.measure_domain else "",
            prefix + "direction": goal.measure_direction,
            prefix + "target": "" if goal.measure_target is None else str(goal.measure_target),
            prefix + "target_date": goal.target_date.isoformat() if goal.target_date else "",
        }
        if goal.carried_over:
            data |= {prefix + "progress": goal.progress, prefix + "progress_evidence": goal.progress_evidence}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def goal_field(goal: Goal, name: str) -> str:
    return f"goal-{goal.code}-{name}"


def make_goal(version: PlanVersion, **kw) -> Goal:
    values = {
        "practice": Goal.Practice.NAMING_POWER,
        "statement": "Name who decides about money, without blame",
        "progress_shows": "Both can describe one money decision and who made it",
    }
    return Goal.objects.create(version=version, **{**values, **kw})


def signed_plan(case, therapist, *, goals: int = 1, partners: list | None = None) -> PlanVersion:
    """A signed first version with `goals` shared goals (spread over the practices) and one per partner."""
    version = start_plan(case=case, by=therapist)
    practices = list(Goal.Practice.values)
    for n in range(goals):
        make_goal(version, practice=practices[n % 4], statement=f"Shared goal {n}", position=n)
    for n, client in enumerate(partners or []):
        make_goal(version, practice=practices[n % 4], client=client, statement=f"Own goal of {client.display_name}")
    sign_version(version=version, by=therapist)
    return version
