"""Notes follow the plan: goals in the note editor, progress on the case page, the client's own goals."""


def case_progress_context(*, case, user) -> dict:
    return {}


def note_goals_context(*, note, session, user) -> dict:
    return {}


def client_home_goals(*, client) -> list[dict]:
    return []
