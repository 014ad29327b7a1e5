"""The practice library, assigning exercises, and the client's check-ins."""


def case_practice_context(*, case, user) -> dict:
    return {}


def note_checkins_context(*, note, session, user) -> dict:
    return {}


def client_home_tasks(*, client) -> list[dict]:
    return []
