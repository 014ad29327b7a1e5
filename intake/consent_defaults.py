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
