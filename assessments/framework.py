"""Instruments: versioned questionnaire definitions, their validation and scoring.

Plain Python, no Django. A definition is an immutable value registered under
(key, version); a screening stores the key and version it answered, so an
old result can always be recomputed and a new version never changes it.
Scoring is a pure function of (definition, answers).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from clinic.lib.numbers import NotANumber, whole_number


@dataclass(frozen=True)
class Choice:
    value: int
    label: str


@dataclass(frozen=True)
class Scale:
    key: str
    choices: tuple[Choice, ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(c.value for c in self.choices)

    @property
    def minimum(self) -> int:
        return min(self.values)

    @property
    def maximum(self) -> int:
        return max(self.values)

    def label_of(self, value: int) -> str:
        return next(c.label for c in self.choices if c.value == value)


@dataclass(frozen=True)
class Domain:
    key: str
    title: str


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    domain: str
    scale: str
    reversed: bool = False
    danger: bool = False


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    lower: float  # inclusive
    upper: float  # exclusive, except for the top band


@dataclass(frozen=True)
class Norm:
    """What reliable change needs of a score when the practice has too few screenings of its own:
    its spread (standard deviation) and its reliability (e.g. internal consistency), 0 < r < 1."""

    sd: float
    r: float


# The key under which an instrument's norms hold its overall index (beside one per domain key).
OVERALL = "index"


@dataclass(frozen=True)
class Instrument:
    key: str
    version: int
    title: str
    instructions: str
    scales: tuple[Scale, ...]
    domains: tuple[Domain, ...]
    items: tuple[Item, ...]
    scorer: Callable[["Instrument", dict[str, int]], dict] = field(compare=False)
    bands: tuple[Band, ...] = ()
    has_safety_rules: bool = False
    # Reliable change (assessments/change.py). Not part of the fingerprint: they judge a change, they never
    # decide a score. `item_score` puts every item on one footing (e.g. reversed items turned round) for
    # internal consistency; `norms` are the documented defaults per domain key and OVERALL; `lower_is_better`
    # says which way a score moves when things improve.
    item_score: Callable[["Instrument", "Item", int], float] | None = field(default=None, compare=False)
    norms: Mapping[str, Norm] = field(default_factory=dict, compare=False)
    lower_is_better: bool = True

    def instructions_for(self, *, emergency_number: str) -> str:
        """The instructions as a client reads them. An instrument never writes an emergency number
        itself (it depends on the practice's country): it says {emergency_number} where one belongs."""
        return self.instructions.replace("{emergency_number}", emergency_number)

    def scale(self, key: str) -> Scale:
        return next(s for s in self.scales if s.key == key)

    def domain(self, key: str) -> Domain:
        return next(d for d in self.domains if d.key == key)

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def band_for(self, value: float) -> Band:
        for band in self.bands:
            if band.lower <= value < band.upper:
                return band
        return self.bands[-1]

    @property
    def fingerprint(self) -> tuple:
        """Everything that decides a score, to refuse a second, different definition of one version."""
        return (self.title, self.scales, self.domains, self.items, self.bands, self.scorer.__qualname__)


class UnknownInstrument(LookupError):
    pass


class AnswerError(ValueError):
    """Base for answers that cannot be scored; the message is written for people."""


class IncompleteAnswers(AnswerError):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        count = len(missing)
        noun = "question is" if count == 1 else "questions are"
        super().__init__(f"{count} {noun} not answered yet: {', '.join(missing)}.")


class InvalidAnswer(AnswerError):
    def __init__(self, item_id: str, problem: str) -> None:
        self.item_id = item_id
        super().__init__(f"Question {item_id}: {problem}")


class Registry:
    def __init__(self) -> None:
        self._by_key: dict[tuple[str, int], Instrument] = {}

    def register(self, instrument: Instrument) -> Instrument:
        known = self._by_key.get((instrument.key, instrument.version))
        if known is not None and known.fingerprint != instrument.fingerprint:
            raise ValueError(f"{instrument.key} v{instrument.version} is already registered with other content.")
        self._by_key[(instrument.key, instrument.version)] = instrument
        return instrument

    def get(self, key: str, version: int) -> Instrument:
        try:
            return self._by_key[(key, int(version))]
        except (KeyError, ValueError):
            raise UnknownInstrument(f"No questionnaire {key!r} version {version} is known.") from None

    def all_versions(self, key: str) -> list[Instrument]:
        return sorted((i for (k, _), i in self._by_key.items() if k == key), key=lambda i: i.version)

    def latest(self, key: str) -> Instrument:
        versions = self.all_versions(key)
        if not versions:
            raise UnknownInstrument(f"No questionnaire {key!r} is known.")
        return versions[-1]

    def __iter__(self):
        return iter(sorted(self._by_key.values(), key=lambda i: (i.key, i.version)))


registry = Registry()


def _as_int(item: Item, raw: Any) -> int:
    """ASCII digits only: int() takes "٣" for 3, and "³" passes isdigit() but breaks int()."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    try:
        return whole_number(raw)
    except NotANumber:
        raise InvalidAnswer(item.id, "the answer is not one of the choices.") from None


def check_answer(instrument: Instrument, item: Item, raw: Any) -> int:
    """One answer as a value on the item's scale, or InvalidAnswer (naming the item and scale, never the value)."""
    value = _as_int(item, raw)
    scale = instrument.scale(item.scale)
    if value not in scale.values:
        allowed = ", ".join(f"{c.value} ({c.label})" for c in scale.choices)
        raise InvalidAnswer(item.id, f"the answer is not on the scale; choose one of {allowed}.")
    return value


def validate_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, int]:
    """Every item answered with a value on its scale; raises IncompleteAnswers or InvalidAnswer."""
    known = {item.id for item in instrument.items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise InvalidAnswer(unknown[0], "this questionnaire has no such question.")
    clean: dict[str, int] = {}
    missing: list[str] = []
    for item in instrument.items:
        raw = answers.get(item.id)
        if raw is None or raw == "":
            missing.append(item.id)
            continue
        clean[item.id] = check_answer(instrument, item, raw)
    if missing:
        raise IncompleteAnswers(missing)
    return clean


def score(*, instrument: Instrument, answers: Mapping[str, Any]) -> dict:
    """Validate and score. The result is plain JSON and names the instrument and version."""
    clean = validate_answers(instrument, answers)
    return {"instrument": instrument.key, "version": instrument.version, **instrument.scorer(instrument, clean)}


def round1(value: float) -> float:
    """One decimal, half away from zero: the same on every machine for these small sums."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
