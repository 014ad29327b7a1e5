"""Treatment plan pages (staff)."""


def case_plan_context(*, case, user) -> dict:
    return {}
