"""Where plans and between-session practice join the pages they hang on: the case page, the note editor and
the client's home. Each part lives in the module that owns it; this file only puts them together."""

from clinic.accounts.reach import Kind, Level


def case_context(*, case, user) -> dict:
    """Plan, progress, practice and reliable-change sections of the case page, each for those who read its kind
    of record on a page (clinic.accounts.reach): the treating therapist, and their supervisor for the plan."""
    from assessments.reliable import case_change_context
    from clinic.plans.exercise_views import case_practice_context
    from clinic.plans.progress import case_progress_context
    from clinic.plans.views import case_plan_context

    context = {}
    if case.reaches(user, Kind.PLAN, Level.READ):
        context |= case_plan_context(case=case, user=user)
        context |= case_progress_context(case=case, user=user)
    if case.reaches(user, Kind.EXERCISES, Level.READ):
        context |= case_practice_context(case=case, user=user)
    if case.reaches(user, Kind.SCREENINGS, Level.READ):
        context |= case_change_context(case=case, user=user)
    return context


def note_context(*, note, session, user) -> dict:
    """The note editor's sidebar: the plan's goals, and each partner's check-ins since the last session."""
    from clinic.plans.exercise_views import note_checkins_context
    from clinic.plans.progress import note_goals_context

    return {
        **note_goals_context(note=note, session=session, user=user),
        **note_checkins_context(note=note, session=session, user=user),
    }


def client_tasks(*, client) -> list[dict]:
    """Items for the client's home ({"title", "url", "note"}), in neutral words: a partner may glance at it."""
    from clinic.plans.exercise_views import client_home_tasks
    from clinic.plans.progress import client_home_goals

    return [*client_home_goals(client=client), *client_home_tasks(client=client)]
