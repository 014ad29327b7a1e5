"""Shared set-up for the between-session practice tests: an exercise, assignments, sent check-ins."""

from datetime import timedelta

from django.utils import timezone

from clinic.plans.exercises import assign, draft_of, save_checkin, send_checkin
from clinic.plans.models import Assignment, CheckIn, Exercise


def an_exercise(**kw) -> Exercise:
    values = {
        "practice": Exercise.Practice.TOLERATING_DISAGREEMENT,
        "title": "Count to five first",
        "instructions": "Before you reply in a tense moment, breathe out and count to five.",
        "suggested_length": "Whenever it comes up, for a week",
    }
    return Exercise.objects.create(**{**values, **kw})


def assign_to(case, client, *, by, exercise: Exercise | None = None, **kw) -> Assignment:
    today = timezone.localdate()
    values = {"starts_on": today, "ends_on": today + timedelta(days=7)}
    return assign(case=case, clients=[client], exercise=exercise or an_exercise(), by=by, **{**values, **kw})[0]


def sent_checkin(assignment: Assignment, *, tried="yes", text="", worse=False) -> CheckIn:
    draft = save_checkin(checkin=draft_of(assignment), tried=tried, text=text, made_things_worse=worse)
    return send_checkin(checkin=draft)


def library_exercise() -> Exercise:
    """An active exercise of the library: a seeded one, or one made here (a live-server test empties the tables)."""
    return Exercise.objects.filter(is_active=True).order_by("id").first() or an_exercise()


def assignment_form(exercise: Exercise, who: str, **kw) -> dict:
    """What the assignment form posts: this exercise for a week from today, to `who`."""
    today = timezone.localdate()
    return {
        "exercise": str(exercise.code),
        "who": who,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=7)).isoformat(),
        "personal_note": "",
        "goal": "",
        **kw,
    }
