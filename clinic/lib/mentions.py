"""Whether a text names a person beside a score, a questionnaire or a flag.

A goal both partners read that says "Jo's money score falls" tells Sam about
Jo's questionnaire. This finds such texts so that the editor can say so; it
never changes or refuses them (a name beside a score can be meant).

Texts and names are compared folded: case, accents and the kind of apostrophe do
not matter ("JOSÉ", "Jose" and "josé" are one name; a typographic apostrophe is a plain one), and only
whole words count ("Jo" is not in "Joke" nor in "Johanna").
"""

import re
import unicodedata
from collections.abc import Iterable

# Words in a full name that are not a name on their own ("María de la Cruz", "Ludwig van Beethoven").
PARTICLES = frozenset(
    {"al", "bin", "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "e", "el", "ibn", "la", "las"}
    | {"le", "les", "los", "st", "ter", "van", "von", "y"}
)

# What a client's answers become: a score, a questionnaire, a flag (English and Spanish, folded: no accents).
CLINICAL = re.compile(
    r"\b(?:scor(?:e|es|ed|ing)|questionnaires?|screen(?:ed|ing|ings|er|ers)|surveys?|assessments?"
    r"|flag(?:s|ged)?|alerts?|risks?|ratings?|rated|results?|domains?|warning signs?"
    r"|cuestionarios?|puntuacion(?:es)?|puntajes?|encuestas?|evaluacion(?:es)?|alertas?|riesgos?"
    r"|resultados?|senales? de alerta)\b"
)


def fold(text: str) -> str:
    """`text` without accents, in one case, with one kind of apostrophe and single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().replace("\u2019", "'").replace("\u02bc", "'").split())


def name_forms(*names: str) -> set[str]:
    """The folded forms a person may be called by: each name whole, and each word of it that is a name alone.

    A preferred name counts whatever its length ("Jo"); a word of a full name counts from two letters,
    unless it is a particle ("de", "van"). A hyphenated name counts whole and by its parts.
    """
    forms = set()
    for name in names:
        whole = fold(name)
        if not whole:
            continue
        forms.add(whole)
        for word in re.findall(r"\w+(?:['-]\w+)*", whole):
            for part in {word, *word.split("-")}:
                if len(part) >= 2 and part not in PARTICLES:
                    forms.add(part)
    return forms


def clinical_words(text: str) -> list[str]:
    """The words of `text` (folded) that speak of a score, a questionnaire or a flag, each once, in order."""
    return list(dict.fromkeys(match.group(0) for match in CLINICAL.finditer(fold(text))))


def names_in(text: str, forms: Iterable[str]) -> bool:
    """Whether `text` holds one of the folded name `forms` as whole words."""
    folded = fold(text)
    return any(form and re.search(r"(?<!\w)" + re.escape(form) + r"(?!\w)", folded) for form in forms)
