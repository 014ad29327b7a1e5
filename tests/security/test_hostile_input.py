"""Hostile input against every form and every autosave endpoint, as the people allowed to post them.

Every URL that takes a POST (from the permission matrix) is posted, by a user
allowed to use it, with what a hostile or careless client could send:
arbitrary unicode from hypothesis, control characters and NUL, 1 MB fields,
missing fields, and bodies of the wrong type. The fields posted are every
field name found on any page the user can open, so a new form is covered
as soon as a page shows it. The answer is never a 500, and an answer that
refuses the input (4xx, or the form shown again with its errors) writes
nothing: every table's row count is unchanged.

Then `<script>` is posted everywhere it can be stored, and every page each
demo user can open, and the PDFs, must show it as text.
"""

import io
import re

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.test_permission_matrix import MATRIX, USERS, as_demo, row_counts

REFUSED = {"login", "404", "405"}
FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"')
SKIP_FIELDS = {"csrfmiddlewaretoken"}
# A refused request may leave only its own trace: the audit event, the failed sign-in count, a session.
RECORDS_OF_REFUSALS = {"audit.AuditEvent", "axes.AccessAttempt", "axes.AccessFailureLog", "sessions.Session"}
# The enrolment page makes its own unconfirmed key (to show the QR code), whatever was posted.
# A check-in sent without saying whether it was tried is kept as a draft (its words are not lost).
PAGE_OWN_ROWS = {"two_factor_setup": {"otp_totp.TOTPDevice"}, "my_practice": {"plans.CheckIn"}}
# Answers that mean "not accepted": nothing may have been written.
REJECTING = {400, 403, 404, 405, 409, 413, 422}
ERROR_MARKERS = ('id="error-summary"', "invalid-feedback", 'class="alert alert-danger"')
# Posting these ends or changes the poster's own access; they are fuzzed, but not kept in the escaping crawl.
NOT_KEPT = {"logout", "staff_deactivate", "staff_reactivate", "case_reassign", "password_change", "quick_exit"}


def poster(name: str) -> str | None:
    """The first demo user whose POST to `name` is taken (not refused)."""
    row = MATRIX[name]
    return next((user for user in USERS if row.post[user] not in REFUSED), None)


POSTABLE = sorted(name for name in MATRIX if poster(name))


@pytest.fixture(scope="module")
def fields(demo, django_db_blocker):
    """Per user: every form field name on every page that user can open."""
    found: dict[str, set[str]] = {}
    with django_db_blocker.unblock():
        for user in USERS:
            names: set[str] = set()
            for name, row in MATRIX.items():
                if row.get[user] != "ok":
                    continue
                point = transaction.savepoint()
                response = as_demo(user, demo).get(reverse(name, kwargs=row.kwargs(demo)))
                names |= set(FIELD.findall(response.getvalue().decode(errors="replace")))
                transaction.savepoint_rollback(point)
            found[user] = names - SKIP_FIELDS
    return found


def post(demo, name: str, data, *, content_type=None):
    user = poster(name)
    http = as_demo(user, demo)
    http.raise_request_exception = False
    url = reverse(name, kwargs=MATRIX[name].kwargs(demo))
    before = row_counts()
    if content_type:
        response = http.post(url, data, content_type=content_type, HTTP_ACCEPT="application/json")
    else:
        response = http.post(url, data, HTTP_ACCEPT="text/html")
    return response, before, row_counts()


def check(response, before, after, what: str, name: str = "") -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    body = (
        response.content.decode(errors="replace")
        if response.get("Content-Type", "").startswith(("text", "application/json"))
        else ""
    )
    rejected = response.status_code in REJECTING or (
        response.status_code == 200 and any(marker in body for marker in ERROR_MARKERS)
    )
    if rejected:
        changed = {
            t: (n, after[t])
            for t, n in before.items()
            if after[t] != n and t not in RECORDS_OF_REFUSALS | PAGE_OWN_ROWS.get(name, set())
        }
        assert not changed, f"{what}: refused ({response.status_code}) but wrote {changed}"


EDGE_CASES = [
    "\x00",
    "before\x00after",
    "\u202egnp.exe",
    "\ufeff\u200b\u200d",
    "e\u0301\u0301\u0301\u0301",
    "😀👩\u200d👩\u200d👧 \U0001d518\U0001d52b\U0001d526",
    "\r\n\t\x0b\x0c\x1b[31m",
    "' OR 1=1 --",
    "{{ 7*7 }}{% debug %}",
    "x" * 1_000_000,
]


@pytest.mark.parametrize("name", POSTABLE)
def test_edge_cases_never_break_a_form_or_write_half(demo, fields, db, name):
    names = fields[poster(name)]
    for value in EDGE_CASES:
        point = transaction.savepoint()
        response, before, after = post(demo, name, dict.fromkeys(names, value))
        check(response, before, after, f"{name} with {value[:20]!r}… ({len(value)} chars)", name)
        transaction.savepoint_rollback(point)
    # Nothing at all, and one field at a time missing.
    point = transaction.savepoint()
    check(*post(demo, name, {}), f"{name} with no fields", name)
    transaction.savepoint_rollback(point)


@pytest.mark.parametrize("name", POSTABLE)
@pytest.mark.parametrize(
    "body",
    ["[1, 2]", "null", "42", '{"answers": {"q": [1, {"x": null}]}}', '"just a string"', "{not json", b"\xff\xfe\xfa"],
)
def test_bodies_of_the_wrong_type_are_refused_cleanly(demo, db, name, body):
    point = transaction.savepoint()
    response, before, after = post(demo, name, body, content_type="application/json")
    check(response, before, after, f"{name} with body {body!r}", name)
    transaction.savepoint_rollback(point)


@pytest.mark.parametrize("name", POSTABLE)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=300), chosen=st.integers(min_value=0))
def test_arbitrary_text_in_any_field(demo, fields, db, name, value, chosen):
    names = sorted(fields[poster(name)])
    data = dict.fromkeys(names, value)
    if names:
        data.pop(names[chosen % len(names)])  # one field missing as well
    point = transaction.savepoint()
    check(*post(demo, name, data), f"{name} with {value!r}", name)
    transaction.savepoint_rollback(point)


SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(2)>'


def test_typed_markup_is_shown_as_text_on_every_page_and_in_pdfs(demo, fields, db):
    payload = f"{SCRIPT} {IMAGE}"
    for name in POSTABLE:
        if name in NOT_KEPT:
            continue
        point = transaction.savepoint()
        response, *_ = post(demo, name, dict.fromkeys(fields[poster(name)], payload))
        if response.status_code >= 400:
            transaction.savepoint_rollback(point)
        else:
            transaction.savepoint_commit(point)
    # A warning sign whose description is markup: stored, shown on the record page and in the PDF.
    sign = as_demo("therapist1", demo).post(
        reverse("warning_sign_new", kwargs={"case_code": demo["case"], "client_code": demo["client1"]}),
        {"type": "fear", "observed_on": "2026-11-01", "severity": "moderate", "source": "observed",
         "description": payload, "action_taken": "individual_sessions"},
    )  # fmt: skip
    assert sign.status_code == 302
    pages = 0
    for user in USERS:
        for name, row in MATRIX.items():
            if row.get[user] != "ok":
                continue
            response = as_demo(user, demo).get(reverse(name, kwargs=row.kwargs(demo)))
            if response["Content-Type"].startswith("text/csv"):
                # A download a browser never renders (an attachment, not sniffed): its cells keep the text as typed.
                assert response["Content-Disposition"].startswith("attachment")
                assert response["X-Content-Type-Options"] == "nosniff"
                continue
            body = response.getvalue().decode(errors="replace")
            pages += 1
            assert SCRIPT not in body and "<img src=x" not in body, f"{name} as {user} shows markup unescaped"
    assert pages > 100
    record_page = as_demo("therapist1", demo).get(
        reverse("client_record", kwargs={"case_code": demo["case"], "client_code": demo["client1"]})
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in record_page.content.decode()

    summary = as_demo("therapist1", demo).post(
        reverse("client_summary", kwargs={"case_code": demo["case"], "client_code": demo["client1"]}),
        {"purpose": "continuity", "notes": "summaries"},
    )
    assert summary["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(summary.content)).pages)
    # The PDF shows the characters that were typed (markup would have vanished into the layout).
    assert SCRIPT in text.replace("\n", "")
