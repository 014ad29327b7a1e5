"""Words that must not appear where someone glancing at a client's screen, inbox or downloads could read them.

A partner who looks at the client's phone sees the home page, tab titles, email subjects and
file names. Those say "A short check-in", never what the questionnaire is about.
"""

import re

# Whole words, any case, with their common forms.
NOT_NEUTRAL = re.compile(
    r"\b(?:un)?safe(?:ty|ly)?\b|\bdanger(?:s|ous)?\b|\babus(?:e|es|ed|er|ers|ive)\b|\bviolen(?:ce|t)\b"
    r"|\brisk(?:s|y)?\b|\bharm(?:s|ed|ful|ing)?\b|\bfear(?:s|ed|ful)?\b|\bafraid\b|\bpower(?:s|ful)?\b"
    r"|\bthreat(?:s|en|ened|ening)?\b|\bcrisis\b|\bassault(?:s|ed)?\b|\bscreen(?:ing|er)s?\b"
    # The same in Spanish, for clients who read their pages and messages in Spanish.
    r"|\bseguridad\b|\binsegur\w*|\bpeligros?[oa]?s?\b|\babus(?:o|os|iv[oa]s?|ador(?:a|es)?)\b|\bmaltrat\w*"
    r"|\bviolen(?:cia|t[oa]s?)\b|\briesgos?\b|\bdañ(?:o|os|ar|in[oa])\b|\bmiedos?\b|\bpoder(?:es|os[oa])?\b"
    r"|\bamenaz\w*|\bagresi\w*|\bcribado\b|\bdetecci[oó]n\b",
    re.IGNORECASE,
)


def unneutral_words(text: str) -> list[str]:
    """The words of `text` that give away what the care is about (empty when it is neutral)."""
    return [match.group(0) for match in NOT_NEUTRAL.finditer(text or "")]


# What an appointment a client sees (their page, a reminder, a calendar file) never names either:
# the kind of care, who gives it, or a clinical word.
CARE_WORDS = re.compile(
    r"\btherap(?:y|ies|ist|ists|eutic)\b|\bcounsel+(?:ing|or|ors)?\b|\bcouples?\b|\brelationship\b|\bconjoint\b"
    r"|\bclinic(?:al|ian)?\b|\bpsych\w*|\bmental\b|\btreatment\b|\bdiagnos\w*|\bsession\b|\bmarriage\b"
    r"|\bDr\.?\s|\bLMFT\b|\bLCSW\b|\bPhD\b"
    r"|\bterap\w*|\bconsejer[oa]s?\b|\bparejas\b|\brelaci[oó]n\b|\bcl[ií]nic[oa]s?\b|\btratamiento\b"
    r"|\bdiagn[oó]stic\w*|\bsesi[oó]n(?:es)?\b|\bmatrimonio\b|\bDra\.?\s",
    re.IGNORECASE,
)


def care_words(text: str) -> list[str]:
    """The words of `text` that say what kind of care this is (empty when it says only "an appointment")."""
    return unneutral_words(text) + [match.group(0) for match in CARE_WORDS.finditer(text or "")]
