"""Session check-in, version 1: each client's voice after every session. Item texts written for this project.

A client answers it on their phone in under a minute, after each attended
session they were in: four or five statements rated 0 (not at all) to 10
(completely), and one optional line in their own words.

Two instruments share the items and the scoring:
- "checkin" after a conjoint session (both partners in the room): five items,
  the last asking whether the therapist was fair to both;
- "checkin_individual" after an individual session: the first four.

Scoring (pure; see `score_checkin`): each item's value as given (higher is
better for every item); `mean` is the mean of the items answered, one
decimal; `safe_to_disagree` is that item's value on its own, because the
safety rule reads it alone. A mean over four items and one over five are
compared as they are (each is "how it went" on the same 0-10 footing).

What the practice does with the answers (assessments/checkins.py), each threshold
a practice setting (environment variable in brackets, default here):

- It felt safe to disagree here, rated SAFE_LOW (3) or lower
  [CHECKIN_SAFE_LOW]: an elevated risk flag for the client's therapist, and
  the safety questionnaire is offered to the client again. A client who
  cannot disagree in the room may not be able to disagree at home.
- Balance alert, "lower than their partner": in the last WINDOW (3)
  conjoint sessions that both partners rated [CHECKIN_GAP_WINDOW], one
  partner's mean was GAP (2) points or more below the other's
  [CHECKIN_GAP_POINTS] in at least GAP_SESSIONS (2) of them
  [CHECKIN_GAP_SESSIONS]. Two of three, not one: a single hard session is
  not a pattern; a therapist drifting toward the partner who speaks more is.
- Balance alert, "a sharp fall": a client's mean fell DROP (3) points or
  more below the mean of their previous (up to three) check-ins
  [CHECKIN_DROP_POINTS]. Individual cases too.

A check-in stays open SESSION_CHECKIN_DAYS (4) days after the session ends
[SESSION_CHECKIN_DAYS]; then it expires unanswered: feedback about a session
weeks ago says little about the session.
"""

from dataclasses import dataclass

from assessments.framework import Choice, Domain, Instrument, Item, Scale, round1
from clinic.lib.marks import gettext_noop

ZERO_TO_TEN = Scale(
    "zero_ten",
    tuple(Choice(v, {0: "0 Not at all", 10: "10 Completely"}.get(v, str(v))) for v in range(11)),
)

DOMAINS = (Domain("session", "This session"),)

HEARD = Item("heard", "I felt heard.", "session", "zero_ten")
SAY = Item("say", "I had a say in what we worked on.", "session", "zero_ten")
DISAGREE = Item("disagree", "It felt safe to disagree here.", "session", "zero_ten")
PACE = Item("pace", "The pace was right for me.", "session", "zero_ten")
FAIR = Item("fair", "The therapist was fair to both of us.", "session", "zero_ten")

COMMENT_PROMPT = gettext_noop("Anything you would like your therapist to know? (optional)")
COMMENT_MAX = 500

INSTRUCTIONS = (
    "Choose a number for each line: 0 means not at all, 10 means completely. "
    "There are no right answers. Your answers go to your therapist only: nobody else sees them."
)


def score_checkin(instrument: Instrument, answers: dict[str, int]) -> dict:
    values = [answers[item.id] for item in instrument.items]
    return {
        "items": {item.id: answers[item.id] for item in instrument.items},
        "mean": round1(sum(values) / len(values)),
        "safe_to_disagree": answers[DISAGREE.id],
    }


def _checkin(key: str, items: tuple[Item, ...]) -> Instrument:
    return Instrument(
        key=key,
        version=1,
        title="Session check-in",
        instructions=INSTRUCTIONS,
        scales=(ZERO_TO_TEN,),
        domains=DOMAINS,
        items=items,
        scorer=score_checkin,
        lower_is_better=False,
    )


CHECKIN_V1 = _checkin("checkin", (HEARD, SAY, DISAGREE, PACE, FAIR))
CHECKIN_INDIVIDUAL_V1 = _checkin("checkin_individual", (HEARD, SAY, DISAGREE, PACE))

KEYS = (CHECKIN_V1.key, CHECKIN_INDIVIDUAL_V1.key)


@dataclass(frozen=True)
class Rules:
    """The thresholds above, in whole points of the 0-10 scale; settings.SESSION_CHECKIN holds the practice's own."""

    days: int = 4
    safe_low: int = 3
    gap: int = 2
    gap_sessions: int = 2
    window: int = 3
    drop: int = 3


DEFAULT_RULES = Rules()
