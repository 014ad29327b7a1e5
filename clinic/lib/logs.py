"""Logs never carry secrets or clinical words.

Addresses hold opaque ids, except the few declared below whose path carries
a secret (an invitation, a password link, a calendar subscription, a
consultation time's confirmation link) or says
something about someone's care. Query strings can hold what someone typed
into a filter. Both are cut from every log line by one filter,
RedactSecrets, which every handler of every log carries: Django's own
(settings.LOGGING routes `django`, `django.request` and `django.server` to
it) and gunicorn's access and error logs (gunicorn.conf.py).

An exception's message often quotes the value that caused it (int() and
float() quote what they could not read; a database error quotes the key it
refused), so a logged traceback keeps its frames and the exception's type,
never its message.
"""

import logging
import re
import traceback

# Whether a parameter's value is a secret.
SECRET, NOT_SECRET = True, False

# Every URL parameter that is neither an `int` nor a `uuid`, declared once, by its pattern's route as the
# URL map composes it (includes joined, without the language prefix). A secret is cut from every log line.
# A start-up check (clinic/checks.py, fulcrum.E001) walks the URL map and refuses a parameter missing here,
# or a route here that the map no longer has.
URL_PARAMETERS: dict[str, dict[str, bool]] = {
    # Whoever holds these addresses is let in: they are the keys themselves.
    "welcome/<str:token>/": {"token": SECRET},
    "feeds/calendar/<str:token>.ics": {"token": SECRET},
    # A visitor's link to confirm the consultation time they chose.
    "start/confirm/<str:token>/": {"token": SECRET},
    # The account's number in base64 says nothing without the token (Django then swaps the token for
    # "set-password", which is cut as well).
    "account/reset/<uidb64>/<token>/": {"uidb64": NOT_SECRET, "token": SECRET},
    # Which questionnaire a therapist offers a client again ("safety") says something about that client.
    "cases/<uuid:case_code>/clients/<uuid:client_code>/rescreen/<str:key>/": {"key": SECRET},
    # Days of a calendar.
    "calendar/week/<isodate:day>/": {"day": NOT_SECRET},
    "calendar/day/<isodate:day>/": {"day": NOT_SECRET},
    "practice/calendar/<isodate:day>/": {"day": NOT_SECRET},
}

CUT = "[redacted]"
WITHHELD = "[message withheld]"

_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
# One path segment as a log line shows it: up to the next slash, query, fragment, space or quote.
_SEGMENT = r"[^/?#\s\"']+"
# A route starts a path, after a slash (or %2F in a raw request line), a space or a quote.
_START = r"(?:(?<![\w.~%-])|(?<=%2f))"
_QUERY = re.compile(r"\?[^\s\"]*")


def _literal(text: str) -> str:
    # A raw request line may spell any character as %XX and still reach the same page.
    return "".join(f"(?:{re.escape(c)}|%{ord(c):02x})" for c in text)


def _secret_route(route: str, parameters: dict[str, bool]) -> re.Pattern:
    """A route as a pattern of log text, each secret parameter a group to cut.

    What follows the last secret is left out, so a link cut short or run on
    ("/welcome/<token>" without its slash, "<token>.ics.txt") is still found.
    """
    pieces = _PARAMETER.split(route)
    literals, names = pieces[0::2], pieces[1::2]
    last = max(i for i, name in enumerate(names) if parameters.get(name) is SECRET)
    regex = _START + _literal(literals[0])
    for i, name in enumerate(names[: last + 1]):
        regex += f"({_SEGMENT})" if parameters.get(name) is SECRET else _SEGMENT
        if i < last:
            regex += _literal(literals[i + 1])
    return re.compile(regex, re.IGNORECASE)


_SECRET_ROUTES = [
    _secret_route(route, parameters)
    for route, parameters in URL_PARAMETERS.items()
    if any(kind is SECRET for kind in parameters.values())
]


def _cut(match: re.Match) -> str:
    text, start = match.group(0), match.start()
    kept, at = [], 0
    for group in range(1, match.re.groups + 1):
        begin, end = match.span(group)
        kept += [text[at : begin - start], CUT]
        at = end - start
    return "".join(kept) + text[at:]


def redact(text: str) -> str:
    """`text` without a declared secret of any address in it, and without any query string."""
    for route in _SECRET_ROUTES:
        text = route.sub(_cut, text)
    return _QUERY.sub("?…", text)


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


class RedactSecrets(logging.Filter):
    """A logging filter: the line is put together, then cut (redact()); exception messages go.

    The whole line, not its pieces: an argument of any type (gunicorn's access
    log passes a mapping, others pass a URL object or an exception) reaches the
    line only through redact().
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: its own words, never its arguments
            message = f"{record.msg} [arguments withheld]"
        record.msg, record.args = redact(message), ()
        if record.exc_info and record.exc_info[1] is not None:
            # The formatter prints exc_text when it is set, instead of formatting exc_info.
            record.exc_text = exception_outline(record.exc_info[1])
        return True
