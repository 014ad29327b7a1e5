"""Safety screen, version 1. Item texts written for this project.

Five warning signs (how often, last 3 months, 0-4) and eight direct danger
questions (No 0 / Yes 1). Rules map answers to a level: none, elevated or
urgent. The result names only rule ids and item ids, never free text.
"""

from dataclasses import dataclass

from assessments.framework import Choice, Domain, Instrument, Item, Scale

FREQUENCY = Scale(
    "frequency",
    (Choice(0, "Never"), Choice(1, "Rarely"), Choice(2, "Sometimes"), Choice(3, "Often"), Choice(4, "Very often")),
)
YES_NO = Scale("yes_no", (Choice(0, "No"), Choice(1, "Yes")))

DOMAINS = (Domain("warning", "Warning signs"), Domain("danger", "Safety"))

ITEMS = (
    Item(
        "ws_recurring",
        "Hurtful behaviour from my partner (in words, feelings or actions) happens again, even after promises to change.",
        "warning",
        "frequency",
    ),
    Item("ws_denial", "When I raise a problem, my partner will not accept there is one.", "warning", "frequency"),
    Item("ws_self", "I feel I am losing my confidence, my opinions or my sense of who I am.", "warning", "frequency"),
    Item(
        "ws_fear",
        "I feel afraid, anxious or unwell (tense, unable to sleep) around my partner.",
        "warning",
        "frequency",
    ),
    Item("ws_conflict", "The same arguments come back and never get settled.", "warning", "frequency"),
    Item(
        "dg_physical",
        "In the last 3 months, has your partner pushed, hit or physically hurt you?",
        "danger",
        "yes_no",
        danger=True,
    ),
    Item(
        "dg_threats",
        "Has your partner threatened to harm or kill you, or someone close to you?",
        "danger",
        "yes_no",
        danger=True,
    ),
    Item("dg_sexual", "Has your partner pressured or forced you into sexual acts?", "danger", "yes_no", danger=True),
    Item(
        "dg_monitoring",
        "Has your partner followed you, or tracked where you go without your agreement?",
        "danger",
        "yes_no",
        danger=True,
    ),
    Item("dg_afraid", "Are you afraid of your partner?", "danger", "yes_no", danger=True),
    Item(
        "dg_weapons",
        "Does your partner have a gun or other weapon, or easy access to one?",
        "danger",
        "yes_no",
        danger=True,
    ),
    Item(
        "dg_strangling",
        "Has your partner ever choked or strangled you, or put pressure on your neck?",
        "danger",
        "yes_no",
        danger=True,
    ),
    Item(
        "dg_selfharm", "Have you had thoughts of harming yourself or ending your life?", "danger", "yes_no", danger=True
    ),
)

WARNING_ITEMS = tuple(i.id for i in ITEMS if i.domain == "warning")


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    reason: str


# Checked in this order; a rule "fires" when its condition holds. The level is the highest that fired.
RULES = (
    Rule("U1", "urgent", "Physical harm in the last 3 months"),
    Rule("U2", "urgent", "Threats to harm or kill"),
    Rule("U3", "urgent", "Pressured or forced sex"),
    Rule("U4", "urgent", "Choking or strangling, ever"),
    Rule("U5", "urgent", "Thoughts of self-harm or suicide"),
    Rule("U6", "urgent", "Access to a weapon and afraid of the partner"),
    Rule("E1", "elevated", "Followed or tracked"),
    Rule("E2", "elevated", "Afraid of the partner"),
    Rule("E3", "elevated", "Access to a weapon"),
    Rule("E4", "elevated", "A warning sign often or very often"),
    Rule("E5", "elevated", "Three or more warning signs at least sometimes"),
)

LEVELS = ("none", "elevated", "urgent")


def _fired(answers: dict[str, int]) -> list[tuple[Rule, list[str]]]:
    yes = {item for item, value in answers.items() if item.startswith("dg_") and value == 1}
    often = [i for i in WARNING_ITEMS if answers[i] >= 3]
    sometimes = [i for i in WARNING_ITEMS if answers[i] >= 2]
    conditions = {
        "U1": ["dg_physical"] if "dg_physical" in yes else [],
        "U2": ["dg_threats"] if "dg_threats" in yes else [],
        "U3": ["dg_sexual"] if "dg_sexual" in yes else [],
        "U4": ["dg_strangling"] if "dg_strangling" in yes else [],
        "U5": ["dg_selfharm"] if "dg_selfharm" in yes else [],
        "U6": ["dg_weapons", "dg_afraid"] if {"dg_weapons", "dg_afraid"} <= yes else [],
        "E1": ["dg_monitoring"] if "dg_monitoring" in yes else [],
        "E2": ["dg_afraid"] if "dg_afraid" in yes else [],
        "E3": ["dg_weapons"] if "dg_weapons" in yes else [],
        "E4": often,
        "E5": sometimes if len(sometimes) >= 3 else [],
    }
    return [(rule, conditions[rule.id]) for rule in RULES if conditions[rule.id]]


def score_safety(instrument: Instrument, answers: dict[str, int]) -> dict:
    fired = _fired(answers)
    level = max((rule.level for rule, _ in fired), key=LEVELS.index, default="none")
    items = []
    for _, ids in fired:
        items.extend(i for i in ids if i not in items)
    return {
        "level": level,
        "rules": [rule.id for rule, _ in fired],
        "items": items,
        "warning_signs": {i: answers[i] for i in WARNING_ITEMS},
    }


SAFETY_V1 = Instrument(
    key="safety",
    version=1,
    title="Feeling safe",
    # The emergency number is the practice's ({emergency_number}, filled in when the page is shown).
    # Instructions decide no score (they are not in the fingerprint), so this stays version 1.
    instructions=(
        "These questions help your therapist make sure sessions are safe for you. Answer as honestly as you can; "
        "your partner will never see your answers. If you are in danger now, call {emergency_number}."
    ),
    scales=(FREQUENCY, YES_NO),
    domains=DOMAINS,
    items=ITEMS,
    scorer=score_safety,
    has_safety_rules=True,
)

RULE_REASONS = {rule.id: rule.reason for rule in RULES}
