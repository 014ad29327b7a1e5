"""The practice library's first exercises, written for this practice; staff edit and extend them in the app.

Texts speak to one person, in plain words, and never name what the exercise is
"for" in clinical terms: a client may read them on a shared screen. Migration
0003 adds them to every new install (0006 their Spanish words); `ensure_library()` adds any that are
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


# The library's words in other languages, by the English title. Written for meaning, in plain and warm
# Spanish (usted, as every client page), not word for word. REVIEW before clients rely on them: a bilingual
# licensed clinician with couples and intimate-partner-violence experience, as for the questionnaires.
TEXTS = {
    "es": {
        "Notice when your voice gets smaller": (
            "Fíjese cuando su voz se hace más pequeña",
            "Esta semana, preste atención, con calma, a los momentos en que se guarda lo que piensa o lo que "
            "quiere, o en que su voz se vuelve más baja o más pequeña. Todavía no hace falta cambiar nada.\n\n"
            "Cuando note uno, escriba una línea para usted: dónde estaba, qué pasaba y qué habría dicho si le "
            "hubiera resultado fácil. Guarde sus notas en un lugar que solo usted pueda ver.\n\n"
            "Si quiere, traiga lo que notó a su próxima cita.",
            "Un minuto cada vez que lo note, durante una semana",
        ),
        "Who decides what: a week of small notes": (
            "Quién decide qué: una semana de pequeñas notas",
            "Durante una semana, lleve una cuenta breve de las decisiones de su vida diaria en común: las "
            "comidas, el dinero, los planes, el tiempo con amistades y familia, el teléfono o la televisión. "
            "Para cada una, anote quién decidió y cómo se decidió: juntos, una sola persona o nadie en "
            "particular.\n\n"
            "Al final de la semana, mire la cuenta con curiosidad, sin buscar culpables. ¿Qué le sorprendió?",
            "Unos minutos al día, durante una semana",
        ),
        "A pause before you reply": (
            "Una pausa antes de responder",
            "Cuando una conversación empiece a ponerse tensa, haga una pequeña pausa antes de contestar: suelte "
            "el aire despacio, sienta los pies en el suelo y cuente hasta cinco.\n\n"
            "Después responda a lo que se dijo, no a cómo se sintió. Si necesita más tiempo, está bien decir "
            "«Quiero contestarte bien; ¿lo retomamos en diez minutos?», y luego retomarlo de verdad.",
            "Cada vez que surja, durante dos semanas",
        ),
        "Reflect back what you heard": (
            "Repita con sus palabras lo que escuchó",
            "Una vez al día, cuando su pareja le cuente algo que le importa, dígale con sus propias palabras lo "
            "que escuchó antes de dar su opinión: «Lo que entendí es… ¿Lo entendí bien?».\n\n"
            "Deje que le corrija. Repetir lo que escuchó no es estar de acuerdo: es asegurarse de haber "
            "entendido.",
            "Una vez al día, durante una semana",
        ),
        "Make one decision together": (
            "Tomen juntos una decisión",
            "Elijan una decisión pequeña que tengan por delante (qué cocinar el domingo, cómo pasar una tarde, "
            "una compra pequeña). Cada uno dice lo que le gustaría y por qué, sin interrumpir. Después decidan "
            "juntos, de una manera que los dos puedan aceptar.\n\n"
            "Al terminar, tómese un momento para notar cómo se sintió al decidir así.",
            "Una conversación de unos veinte minutos",
        ),
        "Set one boundary in a low-stakes moment": (
            "Ponga un límite en un momento sin mucho en juego",
            "Elija un momento pequeño y cotidiano en el que le gustaría que algo fuera distinto para usted: el "
            "volumen de la televisión, su tiempo a solas, cómo se hace una tarea de la casa. Diga con calma y en "
            "pocas palabras lo que quiere: «Me gustaría…» o «No estoy dispuesto a…».\n\n"
            "Elija un momento que se sienta seguro y sin mucho en juego. Si decirlo no le parece seguro, no lo "
            "haga, y cuénteselo a su terapeuta.",
            "Una vez esta semana",
        ),
        "A repair conversation after a disagreement": (
            "Una conversación para reparar después de un desacuerdo",
            "Cuando un desacuerdo ya se haya calmado, elija un momento tranquilo para volver a él. Diga qué parte "
            "le tocó a usted y qué le hubiera gustado hacer distinto, sin «pero». Pregunte cómo lo vivió la otra "
            "persona, y escuche.\n\n"
            "Terminen acordando una cosa pequeña que cada uno hará la próxima vez. Reparar no exige decidir quién "
            "tenía razón.",
            "Una conversación, cuando los dos se sientan listos",
        ),
        "Notice the small repairs": (
            "Fíjese en las pequeñas reparaciones",
            "Durante una semana, fíjese en los pequeños momentos en que uno de los dos intentó arreglar las cosas "
            "después de un momento tenso: una palabra amable, una broma, una taza de té, una disculpa. Anote uno "
            "cada día, y si en ese momento alguien lo notó.",
            "Un minuto al día, durante una semana",
        ),
    },
}


def ensure_library(exercise_model=None, text_model=None) -> None:
    """Add each exercise of LIBRARY whose title is not in the library yet (edited ones are left as they are),
    then the words in other languages that the library's exercises lack."""
    if exercise_model is None:
        from clinic.plans.models import Exercise as exercise_model
        from clinic.plans.models import ExerciseText as text_model
    for practice, title, instructions, length in LIBRARY:
        exercise_model.objects.get_or_create(
            title=title, defaults={"practice": practice, "instructions": instructions, "suggested_length": length}
        )
    # Migration 0003 ran before the texts' table existed: it passes no text model.
    if text_model is not None:
        add_texts(exercise_model, text_model)


def add_texts(exercise_model, text_model) -> None:
    """Each library exercise still under its first English title gets its words in each language it lacks."""
    for language, texts in TEXTS.items():
        for exercise in exercise_model.objects.filter(title__in=texts).exclude(texts__language=language):
            words = dict(zip(("title", "instructions", "suggested_length"), texts[exercise.title], strict=True))
            text_model.objects.create(exercise=exercise, language=language, **words)
