"""Spanish wordings of the questionnaires (text version 1 of each).

Written for meaning, in plain and warm Spanish (usted), not word for word. Before clients
rely on them, a bilingual clinician experienced in couples work and in intimate-partner
violence screening should review every item for meaning and tone (especially the safety
screen's direct questions), ideally with a back-translation; record the review by raising
`text_version` with any change.
"""

from assessments.translations import Translation, translations

REVIEW = (
    "Draft by the developers. To be reviewed by a bilingual (Spanish/English) licensed clinician with couples and "
    "intimate-partner-violence experience, with a back-translation, before use with clients."
)

FREQUENCY = {0: "Nunca", 1: "Rara vez", 2: "A veces", 3: "A menudo", 4: "Muy a menudo"}

POWER = translations.register(
    Translation(
        key="power",
        version=1,
        language="es",
        text_version=1,
        review=REVIEW,
        title="Cómo están las cosas entre ustedes",
        instructions=(
            "Estas preguntas tratan de su relación tal como usted la ve. No hay respuestas correctas ni "
            "incorrectas. Piense en los últimos 3 meses. Sus respuestas solo las ve su terapeuta, nunca su pareja."
        ),
        scales={
            "frequency": FREQUENCY,
            "who": {-2: "Yo", -1: "Más bien yo", 0: "Los dos por igual", 1: "Más bien mi pareja", 2: "Mi pareja"},
        },
        domains={
            "decisions": "Toma de decisiones",
            "money": "Dinero y recursos",
            "voice": "Clima emocional y voz",
            "fear": "Miedo y dependencia",
            "social": "Vida social",
            "digital": "Control digital",
            "boundaries": "Límites, sexo y consentimiento",
            "labour": "Aportes y tareas",
            "pressure": "Presión y manipulación",
        },
        bands={
            "balanced": "Equilibrio",
            "some_imbalance": "Cierto desequilibrio",
            "marked_imbalance": "Desequilibrio marcado",
        },
        items={
            "dec1": "¿Quién suele tener la última palabra en las decisiones importantes, como mudarse, el trabajo o "
            "las compras grandes?",
            "dec2": "¿Quién suele decidir cómo pasan juntos su tiempo libre?",
            "dec3": "Se toman en cuenta mis opiniones cuando decidimos cosas.",
            "mon1": "¿Quién suele decidir en qué se gasta el dinero?",
            "mon2": "Tengo que pedir permiso o dar explicaciones antes de gastar dinero en mí.",
            "mon3": "Puedo ver y usar el dinero que compartimos cuando lo necesito.",
            "voi1": "Me siento libre de no estar de acuerdo con mi pareja.",
            "voi2": "Mis sentimientos o necesidades se dejan de lado o se toman a burla.",
            "voi3": "Mi pareja me habla de una forma que me hace sentir poca cosa.",
            "fea1": "Me guardo mis opiniones porque me preocupa cómo va a reaccionar mi pareja.",
            "fea2": "Siento que no podría salir adelante por mi cuenta si nos separáramos.",
            "fea3": "Me siento tenso/a o en alerta cuando mi pareja está cerca.",
            "soc1": "Veo a mis amistades o a mi familia menos de lo que quisiera por causa de mi pareja.",
            "soc2": "Puedo ver a mis amistades o a mi familia sin tener que pedir permiso antes.",
            "soc3": "Mi pareja me pone difícil tener mis propias amistades o actividades.",
            "dig1": "Mi pareja revisa mi teléfono, mis mensajes o mis cuentas.",
            "dig2": "Se espera que comparta mis contraseñas o mi ubicación.",
            "dig3": "Mi pareja quiere saber dónde estoy todo el tiempo.",
            "bou1": "Cuando digo que no a algo, mi pareja lo acepta.",
            "bou2": "Accedo a tener sexo o intimidad que no quiero, para evitar problemas.",
            "bou3": "Mi pareja pasa por encima de los límites que he puesto.",
            "lab1": "¿Quién hace la mayor parte de las tareas de la casa?",
            "lab2": "¿Quién se encarga de llevar la cuenta de lo que hay que hacer en casa, como las facturas, las "
            "citas y las compras?",
            "lab3": "El esfuerzo que cada uno pone en nuestra vida juntos me parece justo.",
            "pre1": "Mi pareja usa la culpa para salirse con la suya.",
            "pre2": "Mi pareja usa amenazas, como irse, para salirse con la suya.",
            "pre3": "El ánimo de mi pareja cambia de repente y tengo que adaptarme para mantener la paz.",
        },
    )
)

SAFETY = translations.register(
    Translation(
        key="safety",
        version=1,
        language="es",
        text_version=1,
        review=REVIEW,
        title="Sentirse seguro/a",
        instructions=(
            "Estas preguntas ayudan a su terapeuta a asegurarse de que las sesiones sean seguras para usted. "
            "Responda con la mayor sinceridad que pueda; su pareja nunca verá sus respuestas. Si está en peligro "
            "ahora, llame al {emergency_number}."
        ),
        scales={"frequency": FREQUENCY, "yes_no": {0: "No", 1: "Sí"}},
        domains={"warning": "Señales de alerta", "danger": "Seguridad"},
        items={
            "ws_recurring": "El trato hiriente de mi pareja (con palabras, sentimientos o acciones) se repite, incluso "
            "después de prometer que va a cambiar.",
            "ws_denial": "Cuando planteo un problema, mi pareja no acepta que exista.",
            "ws_self": "Siento que estoy perdiendo la confianza en mí, mis opiniones o el sentido de quién soy.",
            "ws_fear": "Me siento con miedo, ansiedad o malestar (tensión, no poder dormir) cerca de mi pareja.",
            "ws_conflict": "Las mismas discusiones vuelven una y otra vez y nunca se resuelven.",
            "dg_physical": "En los últimos 3 meses, ¿su pareja le ha empujado, golpeado o hecho daño físico?",
            "dg_threats": "¿Su pareja ha amenazado con hacerle daño o matarle, a usted o a alguien cercano?",
            "dg_sexual": "¿Su pareja le ha presionado u obligado a tener actos sexuales?",
            "dg_monitoring": "¿Su pareja le ha seguido, o ha rastreado adónde va sin su consentimiento?",
            "dg_afraid": "¿Le tiene miedo a su pareja?",
            "dg_weapons": "¿Su pareja tiene una pistola u otra arma, o le resulta fácil conseguir una?",
            "dg_strangling": "¿Su pareja le ha ahorcado o estrangulado alguna vez, o le ha apretado el cuello?",
            "dg_selfharm": "¿Ha tenido pensamientos de hacerse daño o de quitarse la vida?",
        },
    )
)

ZERO_TO_TEN = {value: str(value) for value in range(11)} | {0: "0 Nada", 10: "10 Totalmente"}
CHECKIN_ITEMS = {
    "heard": "Me sentí escuchado/a.",
    "say": "Pude opinar sobre lo que trabajamos.",
    "disagree": "Me sentí con seguridad para no estar de acuerdo.",
    "pace": "El ritmo fue el adecuado para mí.",
    "fair": "El/la terapeuta fue justo/a con los dos.",
}
for key, items in (
    ("checkin", CHECKIN_ITEMS),
    ("checkin_individual", {k: v for k, v in CHECKIN_ITEMS.items() if k != "fair"}),
):
    translations.register(
        Translation(
            key=key,
            version=1,
            language="es",
            text_version=1,
            review=REVIEW,
            title="Comentario sobre la sesión",
            instructions=(
                "Elija un número para cada frase: 0 quiere decir nada y 10 quiere decir totalmente. No hay "
                "respuestas correctas. Sus respuestas solo le llegan a su terapeuta: nadie más las ve."
            ),
            scales={"zero_ten": ZERO_TO_TEN},
            domains={"session": "Esta sesión"},
            items=items,
        )
    )
