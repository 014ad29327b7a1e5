"""Questionnaires in other languages: the same instrument, other words.

A translation belongs to one instrument version (key + version) and one language. It gives
only texts (title, instructions, item wordings, answer labels, domain and band names); the
items, their order, the scale values and the scoring are the instrument's own, so a score
means the same whatever language it was answered in. `localized()` builds the instrument as
a client reads it; screenings are always scored with the registered (English) definition.

Each translation has its own `text_version`, which a screening records with its language: an
improved wording is a new text version of the same instrument version, and scores from the old
and the new wording stay comparable. `review` says who should review the wording clinically
before clients rely on it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from assessments.framework import Band, Choice, Domain, Instrument, Scale


@dataclass(frozen=True)
class Translation:
    key: str
    version: int
    language: str
    text_version: int
    title: str
    instructions: str
    items: Mapping[str, str]
    # Per scale key, per value: the answer's label.
    scales: Mapping[str, Mapping[int, str]]
    domains: Mapping[str, str]
    review: str
    bands: Mapping[str, str] = field(default_factory=dict)


class Translations:
    def __init__(self) -> None:
        self._by_key: dict[tuple[str, int, str], Translation] = {}

    def register(self, translation: Translation) -> Translation:
        self._by_key[(translation.key, translation.version, translation.language)] = translation
        return translation

    def get(self, instrument: Instrument, language: str) -> Translation | None:
        return self._by_key.get((instrument.key, instrument.version, language))

    def __iter__(self):
        return iter(self._by_key.values())


translations = Translations()


def problems(instrument: Instrument, translation: Translation) -> list[str]:
    """What a translation leaves out or adds, against its instrument (empty when it is whole)."""
    found = []
    if set(translation.items) != {i.id for i in instrument.items}:
        found.append(f"items differ: {sorted(set(translation.items) ^ {i.id for i in instrument.items})}")
    for scale in instrument.scales:
        given = set(translation.scales.get(scale.key, {}))
        if given != set(scale.values):
            found.append(f"scale {scale.key}: values differ")
    if set(translation.domains) != {d.key for d in instrument.domains}:
        found.append("domains differ")
    if instrument.bands and set(translation.bands) != {b.key for b in instrument.bands}:
        found.append("bands differ")
    empty = [k for k, v in {**translation.items, **translation.domains, **translation.bands}.items() if not v.strip()]
    if empty or not translation.title.strip() or not translation.instructions.strip():
        found.append(f"empty texts: {empty}")
    return found


def localized(instrument: Instrument, language: str) -> Instrument:
    """The instrument in `language`: the same items, values and scoring, its own words. English as it is."""
    translation = translations.get(instrument, language)
    if translation is None:
        return instrument
    return replace(
        instrument,
        title=translation.title,
        instructions=translation.instructions,
        scales=tuple(
            Scale(s.key, tuple(Choice(c.value, translation.scales[s.key][c.value]) for c in s.choices))
            for s in instrument.scales
        ),
        domains=tuple(Domain(d.key, translation.domains[d.key]) for d in instrument.domains),
        items=tuple(replace(i, text=translation.items[i.id]) for i in instrument.items),
        bands=tuple(Band(b.key, translation.bands.get(b.key, b.label), b.lower, b.upper) for b in instrument.bands),
    )


def text_version(instrument: Instrument, language: str) -> int:
    """The wording a screening in `language` was answered in: 0 for the instrument's own (English) words."""
    translation = translations.get(instrument, language)
    return translation.text_version if translation is not None else 0


# The translations themselves, registered on import.
from assessments.translations import es  # noqa: E402, F401
