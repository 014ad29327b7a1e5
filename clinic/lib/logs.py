"""Logs never carry secrets or clinical words.

URLs hold only opaque ids, except three that carry secrets in their path: an
invitation link (/welcome/<token>/), a password link
(/account/reset/<uid>/<token>/) and a consultation time's confirmation link
(/start/confirm/<token>/). Query strings can hold what someone typed
into a filter. Both are cut from every log line: Django's request warnings
("Not Found: /welcome/…") and gunicorn's access log alike.

An exception's message often quotes the value that caused it (int() and
float() quote what they could not read; a database error quotes the key it
refused), so a logged traceback keeps its frames and the exception's type,
never its message.
"""

import logging
import re
import traceback

_SECRET_PATH = re.compile(r"(/welcome/|/start/confirm/|/account/reset/[^/\s]+/)[^/?#\s\"]+")
_QUERY = re.compile(r"\?[^\s\"]*")


WITHHELD = "[message withheld]"


def exception_outline(error: BaseException) -> str:
    """A traceback (frames, source lines, exception types) without any exception's message."""
    parts, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
        kind = type(error)
        name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
        parts.append(f"Traceback (most recent call last):\n{frames}{name}: {WITHHELD}")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return "\n\nwhich happened while handling, or was caused by:\n\n".join(parts)


def redact(text: str) -> str:
    return _QUERY.sub("?…", _SECRET_PATH.sub(r"\1[redacted]", text))


class RedactSecrets(logging.Filter):
    """A logging filter: secret path parts and query strings become placeholders; exception messages go."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        if record.exc_info and record.exc_info[1] is not None:
            # The formatter prints exc_text when it is set, instead of formatting exc_info.
            record.exc_text = exception_outline(record.exc_info[1])
        return True
