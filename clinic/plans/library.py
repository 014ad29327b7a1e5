"""The practice library's first exercises, written for this practice; staff edit and extend them in the app.

Texts speak to one person, in plain words, and never name what the exercise is
"for" in clinical terms: a client may read them on a shared screen. Migration
0003 adds them to every new install; `ensure_library()` adds any that are
missing (the demo calls it).
"""

LIBRARY = [
    (
        "naming_power",
        "Notice when your voice gets smaller",
        "This week, pay gentle attention to moments when you hold back what you think or want, or when your "
        "voice gets quieter or smaller. You do not need to change anything yet.\n\n"
        "When you notice one, jot down a line for yourself: where you were, what was happening, and what you "
        "would have said if it had felt easy. Keep your lines somewhere only you can see them.\n\n"
        "Bring what you noticed to your next appointment, if you want to.",
        "A minute each time you notice, for a week",
    ),
    (
        "naming_power",
        "Who decides what: a week of small notes",
        "For one week, keep a short tally of the decisions in your everyday life together: meals, money, plans, "
        "time with friends and family, the phone or the television. For each one, note who decided and how it "
        "was decided: together, by one person, or by nobody in particular.\n\n"
        "At the end of the week, look at the tally with curiosity rather than blame. What surprised you?",
        "A few minutes a day, for a week",
    ),
    (
        "tolerating_disagreement",
        "A pause before you reply",
        "When a conversation starts to feel tense, try a short pause before you answer: breathe out slowly, "
        "feel your feet on the floor, and count to five.\n\n"
        "Then reply to what was said, rather than to how it felt. If you need longer, it is fine to say "
        "“I want to answer this properly; can we come back to it in ten minutes?” and then do come back.",
        "Whenever it comes up, for two weeks",
    ),
    (
        "tolerating_disagreement",
        "Reflect back what you heard",
        "Once a day, when your partner tells you something that matters to them, tell them back what you heard "
        "in your own words before you give your view: “What I heard is… Did I get that right?”\n\n"
        "Let them correct you. Reflecting back is not agreeing; it is making sure you have understood.",
        "Once a day, for a week",
    ),
    (
        "restoring_agency",
        "Make one decision together",
        "Choose one small decision that is coming up (what to cook on Sunday, how to spend an evening, a small "
        "purchase). Each of you says what you would like and why, without interrupting. Then decide together, "
        "in a way you can both accept.\n\n"
        "Afterwards, take a moment each to notice how it felt to decide this way.",
        "One conversation of about twenty minutes",
    ),
    (
        "restoring_agency",
        "Set one boundary in a low-stakes moment",
        "Pick a small, everyday moment where you would like something to be different for you: the volume of "
        "the television, your time alone, how a chore is done. Say, calmly and briefly, what you would like: "
        "“I'd like…” or “I'm not willing to…”.\n\n"
        "Choose a moment that feels safe and low-stakes. If saying it does not feel safe, do not do it, and "
        "tell your therapist instead.",
        "Once this week",
    ),
    (
        "repair",
        "A repair conversation after a disagreement",
        "After a disagreement has cooled down, choose a calm moment to come back to it. Say what part you played "
        "and what you wish you had done differently, without “but”. Ask what it was like for the other person, "
        "and listen.\n\n"
        "End by agreeing one small thing each of you will do next time. A repair does not need to settle who "
        "was right.",
        "One conversation, when you both feel ready",
    ),
    (
        "repair",
        "Notice the small repairs",
        "For a week, notice small moments when one of you tried to make things better after a tense moment: a "
        "kind word, a joke, a cup of tea, an apology. Write down one each day, and whether it was noticed at "
        "the time.",
        "A minute a day, for a week",
    ),
]


def ensure_library(exercise_model=None) -> None:
    """Add each exercise of LIBRARY whose title is not in the library yet (edited ones are left as they are)."""
    if exercise_model is None:
        from clinic.plans.models import Exercise as exercise_model
    for practice, title, instructions, length in LIBRARY:
        exercise_model.objects.get_or_create(
            title=title, defaults={"practice": practice, "instructions": instructions, "suggested_length": length}
        )
