"""Logs never carry secrets or clinical words.

URLs hold only opaque ids, except two that carry secrets in their path: an
invitation link (/welcome/<token>/) and a password link
(/account/reset/<uid>/<token>/). Query strings can hold what someone typed
into a filter. Both are cut from every log line: Django's request warnings
("Not Found: /welcome/…") and gunicorn's access log alike.
"""

import logging
import re

_SECRET_PATH = re.compile(r"(/welcome/|/account/reset/[^/\s]+/)[^/?#\s\"]+")
_QUERY = re.compile(r"\?[^\s\"]*")


def redact(text: str) -> str:
    return _QUERY.sub("?…", _SECRET_PATH.sub(r"\1[redacted]", text))


class RedactSecrets(logging.Filter):
    """A logging filter: secret path parts and query strings become placeholders."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True
