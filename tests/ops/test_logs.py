"""Log lines are cut before they are written: declared secret address parts, query strings, exception messages."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.checks import run_checks

from clinic.lib.logs import RedactSecrets, redact

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        ("Not Found: /welcome/AbC-123_xyz/", "Not Found: /welcome/[redacted]/"),
        ("GET /account/reset/MQ/cbk9-1a2b3c/ 200", "GET /account/reset/MQ/[redacted]/ 200"),
        ('"GET /feeds/calendar/Zx_9-ab.ics HTTP/1.1" 404 9', '"GET /feeds/calendar/[redacted] HTTP/1.1" 404 9'),
        ("Not Found: /es/welcome/AbC-123_xyz/", "Not Found: /es/welcome/[redacted]/"),
        ('"GET /practice/audit/?actor=jo+avery" 200', '"GET /practice/audit/?…" 200'),
        ("GET /cases/0b5e/ 200", "GET /cases/0b5e/ 200"),
    ],
)
def test_secret_links_and_query_strings_are_cut_from_log_lines(line, logged):
    assert redact(line) == logged


def cut(msg, *args) -> str:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, msg, args, None)
    RedactSecrets().filter(record)
    return logging.Formatter("%(message)s").format(record)


def test_a_line_is_cut_whole_whatever_the_type_of_its_arguments():
    token = "Zx_9-ab"
    # gunicorn's access log passes one mapping of "atoms"; others pass a URL object or an exception.
    assert cut('%(h)s "%(r)s" %(f)s', {"h": "10.0.0.1", "r": f"GET /welcome/{token}/ HTTP/1.1", "f": "-"}) == (
        '10.0.0.1 "GET /welcome/[redacted]/ HTTP/1.1" -'
    )
    assert cut("fetched %s", urlsplit(f"https://x.example/feeds/calendar/{token}.ics")).count(token) == 0
    assert token not in cut("failed: %r", ValueError(f"/account/reset/MQ/{token}/"))
    assert cut("%d of %s", 3, f"/welcome/{token}/") == "3 of /welcome/[redacted]/"


def test_a_malformed_call_keeps_its_words_but_not_its_arguments():
    assert cut("Not Found: %s %s", "/welcome/Zx_9-ab/") == "Not Found: %s %s [arguments withheld]"


def test_a_line_cut_twice_reads_as_cut_once():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET %s", ("/welcome/Zx_9-ab/?a=1",), None)
    RedactSecrets().filter(record)
    RedactSecrets().filter(record)
    assert record.getMessage() == "GET /welcome/[redacted]/?…"


WALK = """
import json, logging, django
django.setup()
from clinic.lib.logs import RedactSecrets
loggers = [logging.getLogger()] + [
    logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
]
handlers = [(logger.name, handler) for logger in loggers for handler in logger.handlers]
print(json.dumps({
    "uncut": [f"{name}: {handler!r}" for name, handler in handlers
              if not any(isinstance(f, RedactSecrets) for f in handler.filters)],
    "handlers": len(handlers),
    "reach root": all(logging.getLogger(name).propagate for name in ("django", "django.request", "django.server")),
}))
"""


@pytest.mark.parametrize("debug", ["false", "true"])
def test_every_handler_of_every_logger_cuts_its_lines(debug):
    """A fresh process configured as production (or the local demo) is: no handler writes an uncut line.

    Django's defaults (a console for `django` when DEBUG is on, runserver's
    own `django.server` console, mail to ADMINS) would, so none is kept.
    """
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DEBUG": debug,
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "localhost",
    }
    run = subprocess.run([sys.executable, "-c", WALK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["uncut"] == [] and found["handlers"] >= 1 and found["reach root"]


def test_a_logged_traceback_keeps_its_frames_but_not_the_exception_message():
    answer = "³ my secret answer"
    try:
        try:
            int(answer)
        except ValueError as error:
            raise RuntimeError(f"could not read {answer!r}") from error
    except RuntimeError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/check/",), sys.exc_info()
        )
    RedactSecrets().filter(record)
    text = logging.Formatter().format(record)
    assert "secret answer" not in text and "³" not in text
    assert "ValueError: [message withheld]" in text and "RuntimeError: [message withheld]" in text
    assert "int(answer)" in text  # the frames and source lines stay, for whoever debugs it


@pytest.mark.parametrize(
    ("backend", "warned"),
    [
        ("django.core.mail.backends.console.EmailBackend", True),
        ("django.core.mail.backends.filebased.EmailBackend", True),
        ("django.core.mail.backends.smtp.EmailBackend", False),
    ],
)
def test_a_release_stops_on_a_mail_backend_that_writes_links_where_the_logs_go(settings, backend, warned):
    settings.EMAIL_BACKEND = backend
    found = [m for m in run_checks(include_deployment_checks=True) if m.id == "fulcrum.W002"]
    assert bool(found) is warned
