import logging
import sys

import pytest
from django.urls import reverse

from clinic.lib.logs import RedactSecrets, redact


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        ("Not Found: /welcome/AbC-123_xyz/", "Not Found: /welcome/[redacted]/"),
        ("GET /account/reset/MQ/cbk9-1a2b3c/ 200", "GET /account/reset/MQ/[redacted]/ 200"),
        ('"GET /practice/audit/?actor=jo+avery" 200', '"GET /practice/audit/?…" 200'),
        ("GET /cases/0b5e/ 200", "GET /cases/0b5e/ 200"),
    ],
)
def test_secret_links_and_query_strings_are_cut_from_log_lines(line, logged):
    assert redact(line) == logged


def test_django_request_warnings_reach_the_log_without_the_token(client, db, caplog):
    token = "a-secret-invitation-token-0123456789"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("invitation_accept", kwargs={"token": token}))
    record = next(r for r in caplog.records if r.name == "django.request")
    console = next(h for h in logging.getLogger().handlers if any(isinstance(f, RedactSecrets) for f in h.filters))
    console.filter(record)
    assert token not in record.getMessage() and "/welcome/[redacted]/" in record.getMessage()


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
