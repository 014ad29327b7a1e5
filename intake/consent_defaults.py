"""First versions of the consent texts, written for this project. A practice publishes its own as new versions."""

INFORMED_CONSENT = """\
What we offer. Relationship therapy is talking work with a trained therapist, on your own or with a partner. \
It can bring up strong feelings. You may pause or stop at any time.

Your choices. You decide what to share. You can ask for individual sessions at any point, and your therapist \
may suggest them, especially if safety is a concern.

Confidentiality. What you tell us stays within the practice, except where the law requires us to act: if someone \
is at serious risk of harm, if a child or vulnerable adult is at risk, or if a court orders it. Where we can, we will \
talk with you first.

Partners. In couples work, each partner has their own record. We do not show one partner what the other wrote in \
their forms or questionnaires.

Contact. We contact you only in the ways you tell us are safe, and our messages never mention therapy."""

PRIVACY_NOTICE = """\
What we keep. The answers you give here, notes of your sessions, and details you give us to contact you.

Why. To provide your care, to keep you safe, and because health records must be kept by law.

Who sees it. Your therapist, their clinical supervisor, and practice staff who need it to run your care. Every look \
at your record is logged.

How long. Records are kept for the period the law requires, then reviewed before deletion.

Your rights. You can ask to see your record, to correct it, and to know who has seen it. Ask your practice."""

DEFAULTS = {
    "informed_consent": ("Agreement to take part", INFORMED_CONSENT),
    "privacy_notice": ("How we look after your information", PRIVACY_NOTICE),
}

# The same first versions in Spanish, written for meaning (usted). Like the English ones, a practice publishes its
# own (Practice > Consent texts, Español); have them reviewed by the practice's legal and clinical leads before use.
CONSENTIMIENTO = """\
Lo que ofrecemos. La terapia de pareja y de relaciones es un trabajo de conversación con un/a terapeuta \
capacitado/a, a solas o con su pareja. Puede despertar sentimientos intensos. Puede hacer una pausa o dejarla en \
cualquier momento.

Sus decisiones. Usted decide qué compartir. Puede pedir sesiones individuales en cualquier momento, y su terapeuta \
puede sugerirlas, sobre todo si hay preocupación por su seguridad.

Confidencialidad. Lo que nos cuenta queda dentro del consultorio, salvo cuando la ley nos obliga a actuar: si alguien \
corre un riesgo grave de sufrir daño, si un niño o un adulto vulnerable está en riesgo, o si lo ordena un tribunal. \
Siempre que podamos, hablaremos antes con usted.

Parejas. En el trabajo con parejas, cada persona tiene su propio expediente. No mostramos a una persona lo que la \
otra escribió en sus formularios o cuestionarios.

Contacto. Nos comunicamos con usted solo por las formas que nos diga que son seguras, y nuestros mensajes nunca \
mencionan la terapia."""

AVISO_DE_PRIVACIDAD = """\
Lo que guardamos. Las respuestas que da aquí, las notas de sus sesiones y los datos que nos da para comunicarnos \
con usted.

Para qué. Para atenderle, para protegerle y porque la ley exige guardar los expedientes de salud.

Quién lo ve. Su terapeuta, su supervisor/a clínico/a y el personal del consultorio que lo necesita para organizar su \
atención. Cada consulta de su expediente queda registrada.

Por cuánto tiempo. Los expedientes se guardan durante el plazo que exige la ley y luego se revisan antes de borrarlos.

Sus derechos. Puede pedir ver su expediente, corregirlo y saber quién lo ha visto. Pregunte en su consultorio."""

DEFAULTS_BY_LANGUAGE = {
    "en": DEFAULTS,
    "es": {
        "informed_consent": ("Acuerdo para participar", CONSENTIMIENTO),
        "privacy_notice": ("Cómo cuidamos su información", AVISO_DE_PRIVACIDAD),
    },
}
