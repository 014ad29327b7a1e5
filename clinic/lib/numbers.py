"""Whole numbers from requests, read strictly.

Python's int() takes Arabic-Indic, full-width and other Unicode digits, and
str.isdigit() says yes to superscripts and circled digits, which int() then
refuses with an exception that quotes what was sent. A number a person sends
us is ASCII digits (an optional sign), within a range; anything else is "not
a number", and the error never repeats what was sent, so it cannot reach a log.

Plain Python (the instrument framework uses it); the form fields are in clinic/lib/fields.py.
"""

import re
from typing import Any

# At most 18 digits: every value fits a 64-bit column before the range is checked.
_WHOLE = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)
# What browsers and people put around a number; Unicode spaces are not stripped.
_SPACE = " \t\r\n"


class NotANumber(ValueError):
    """What was sent is not a whole number in the allowed range. The message never repeats it."""

    def __init__(self) -> None:
        super().__init__("not a whole number in the allowed range")


def whole_number(raw: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """`raw` (a str of ASCII digits, or an int) as an int within [minimum, maximum]; else NotANumber."""
    if isinstance(raw, bool):
        raise NotANumber
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _WHOLE.fullmatch(raw.strip(_SPACE)):
        value = int(raw.strip(_SPACE))
    else:
        raise NotANumber
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise NotANumber
    return value
