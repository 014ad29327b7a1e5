# ruff: noqa: RUF001 (letters that look like others are the point)
"""A name typed at a failed sign-in is kept as the account it names, or as "no account's": never the text.

People type their password into the name box, or someone else's address. Neither the audit log (its
page, its CSV, the compliance export) nor the sign-in throttle's own tables keep it; the throttle
still pauses a name that is no account's, per address, after the same number of tries.
"""

import csv
import importlib
import io
import re
import unicodedata
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.test import RequestFactory
from django.urls import reverse

from clinic.accounts.typed_names import UNKNOWN, lockout_name
from clinic.audit.events import record
from clinic.audit.models import Action, AuditEvent

TYPED = [
    pytest.param("Tr0ub4dor&3-horse-battery!", id="a-password"),
    pytest.param("sam.partner@example.org", id="someone-elses-address"),
    # Full-width letters, a combining accent, a zero-width space, an emoji and a right-to-left override.
    pytest.param("Ｊｏｅ\u0301\u200b🙂\u202eenila", id="odd-unicode"),
    pytest.param("ClientOne", id="an-account-name-in-other-capitals"),
]


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


WRONG = "not-the-password-1"


def sign_in(client, name, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": name, "password": WRONG}, REMOTE_ADDR=ip)


def forms_of(text: str) -> set[str]:
    """The text as typed and as the sign-in form reads it (NFKC), and their first and last eight letters."""
    forms = {text, unicodedata.normalize("NFKC", text), text.strip(), unicodedata.normalize("NFKC", text).strip()}
    return forms | {f[:8] for f in forms if len(f) >= 8} | {f[-8:] for f in forms if len(f) >= 8}


def everything_kept() -> str:
    """Every value of every row the audit log and the throttle keep."""
    rows = [*AuditEvent.objects.values(), *AccessAttempt.objects.values(), *AccessFailureLog.objects.values()]
    return repr(rows + list(AccessLog.objects.values()))


def every_admin_exit(c) -> str:
    page = c.get(reverse("audit_log")).content.decode()
    export = b"".join(c.get(reverse("audit_export")).streaming_content).decode()
    full = b"".join(c.post(reverse("audit_export_full"), {"purpose": "legal"}).streaming_content).decode()
    return page + export + full


@pytest.mark.parametrize("typed", TYPED)
def test_a_name_that_is_no_accounts_is_kept_nowhere(client, as_user, admin_user, client_user, typed):
    for _ in range(3):
        sign_in(client, typed)
    kept = everything_kept()
    for form in forms_of(typed):
        assert form not in kept, form
    failed = AuditEvent.objects.filter(action=Action.LOGIN_FAILED)
    assert failed.count() == 3 and {(e.actor, repr(e.detail)) for e in failed} == {(None, "{'name_known': False}")}
    locked = AuditEvent.objects.get(action=Action.LOCKED_OUT)
    assert (locked.actor, locked.detail) == (None, {"name_known": False})
    (attempt,) = AccessAttempt.objects.all()
    assert attempt.username.startswith(UNKNOWN) and attempt.failures_since_start == 3
    exits = every_admin_exit(as_user(admin_user))
    assert "name typed: no account's (not kept)" in exits
    for form in forms_of(typed):
        assert form not in exits, form


def test_an_accounts_name_is_kept_as_that_account(client, as_user, admin_user, client_user):
    sign_in(client, "clientone")
    failed = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert (failed.actor, failed.detail) == (client_user, {"name_known": True})
    assert AccessAttempt.objects.get().username == "clientone"
    page = as_user(admin_user).get(reverse("audit_log"), {"action": Action.LOGIN_FAILED}).content.decode()
    assert "name typed: an account&#x27;s" in page and str(client_user) in page


def test_a_name_that_is_no_accounts_still_pauses_after_the_limit_per_address(client, client_user):
    name = "Tr0ub4dor&3-horse-battery!"
    assert sign_in(client, name).status_code == 200
    assert sign_in(client, name).status_code == 200
    paused = sign_in(client, name)
    assert paused.status_code == 429 and "Sign-in paused" in paused.content.decode()
    # The same text from another address, and other text from this one, are counted apart.
    assert sign_in(client, name, ip="10.0.0.2").status_code == 200
    assert sign_in(client, name + "x").status_code == 200
    # The pause reads as an account's does.
    for _ in range(3):
        account = sign_in(client, "clientone", ip="10.0.0.3")
    assert account.status_code == 429

    def main(response) -> str:
        return re.sub(r'nonce="[^"]*"', "", response.content.decode().split("<main")[1].split("</main>")[0])

    assert main(account) == main(paused)


def test_the_throttle_names_a_name_the_same_from_the_form_and_from_the_posted_text(client_user):
    # The form reads names as NFKC: full-width letters are the account's name.
    request = RequestFactory().post("/", {"username": "ｃｌｉｅｎｔｏｎｅ"})
    assert lockout_name(request) == lockout_name(request, {"username": "clientone"}) == "clientone"
    stranger = RequestFactory().post("/", {"username": "ｎｏｂｏｄｙ"})
    assert lockout_name(stranger) == lockout_name(stranger, {"username": "nobody"})
    assert lockout_name(stranger).startswith(UNKNOWN) and "nobody" not in lockout_name(stranger)
    assert lockout_name(RequestFactory().post("/", {})) is None


def test_names_kept_by_the_log_before_are_shown_by_no_exit(as_user, admin_user):
    # Rows written before: the log is append-only, so they keep the text; no reading shows it.
    record(action=Action.LOGIN_FAILED, detail={"username": "hunter2-typed-before"})
    record(action=Action.LOCKED_OUT, detail={"username": "jo.partner@example.org"})
    exits = every_admin_exit(as_user(admin_user))
    assert "hunter2-typed-before" not in exits and "jo.partner@example.org" not in exits
    rows = list(csv.reader(io.StringIO(exits[exits.index("When,Who") :])))
    assert any(row[3:4] == ["Sign-in failed"] for row in rows)


def test_the_throttles_rows_of_typed_text_are_forgotten_and_an_accounts_stay(client_user):
    AccessAttempt.objects.create(username="Tr0ub4dor&3", ip_address="10.0.0.1", failures_since_start=2)
    AccessAttempt.objects.create(username="clientone", ip_address="10.0.0.1", failures_since_start=4)
    AccessFailureLog.objects.create(username="sam@example.org", ip_address="10.0.0.1")
    migration = importlib.import_module("clinic.accounts.migrations.0005_forget_typed_sign_in_names")
    migration.forget_typed_names(apps, None)
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [("clientone", 4)]
    assert not AccessFailureLog.objects.exists()
