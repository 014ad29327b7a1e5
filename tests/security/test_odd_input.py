"""Odd input at every form and JSON endpoint a client or an anonymous visitor can reach.

The endpoints are found from the URL resolver: every pattern, its parameters
filled with the ids of a client's own world (a couple case, an intake half
filled in, both questionnaires due with a few answers saved, an open
invitation link), is posted to as that client and as an anonymous visitor;
whatever does not answer 404, 405 or "sign in first" is an endpoint to throw
things at. So a new form a client can reach is covered as soon as it exists.

Each example takes a valid-looking submission (what the page itself would
send: its fields, their current values, the first choice of every radio group
left empty) and puts an odd value in one field or in all of them: superscript,
circled, full-width and Arabic-Indic digits, NUL, direction marks, lone
surrogates that can be encoded, very long strings, several values for one
field; or sends a JSON body of the wrong shape. Then:

- the answer is never a 5xx;
- a refused request (4xx, or the form shown again with an error) stores
  nothing: row counts, stored questionnaire answers, the intake, the client's
  contact choices are unchanged (the intake pages keep what was typed, as
  typed: that is their promise, and it is checked too);
- a stored questionnaire answer is always one of its choices;
- nothing of the value reaches a log record, with every logger at DEBUG:
  not its message, not its arguments, not the text of an exception.
"""

# ruff: noqa: RUF001 (the odd digits are what this file is about)

import contextlib
import json
import logging
import re
import traceback

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.framework import InvalidAnswer, check_answer
from assessments.models import Screening
from assessments.screenings import assign, instrument_of
from clinic.accounts.models import Role
from clinic.clients.models import Case, Client
from clinic.lib.http import storable
from clinic.plans.exercises import assign as assign_exercise
from intake.filling import intake_for
from intake.invitations import send_invitation
from intake.models import Intake
from tests.browserlike import BrowserLikeClient as HttpClient
from tests.conftest import sign_in
from tests.factories import make_case, make_user
from tests.plans.practice_helpers import library_exercise
from tests.test_permission_matrix import row_counts
from tests.test_url_protection import ALL

# A refused request may leave only its own trace: the audit event, the failed sign-in count, a session.
RECORDS_OF_REFUSALS = {"audit.AuditEvent", "axes.AccessAttempt", "axes.AccessFailureLog", "sessions.Session"}
# The enrolment page makes its own unconfirmed key (to show the QR code), whatever was posted.
# A check-in sent without saying whether it was tried is kept as a draft (its words are not lost).
PAGE_OWN_ROWS = {"two_factor_setup": {"otp_totp.TOTPDevice"}, "my_practice": {"plans.CheckIn"}}
# Pages that keep a draft exactly as typed, even when it does not validate yet.
KEEPS_WHAT_WAS_TYPED = {"intake_section", "intake_autosave"}
ERROR_MARKERS = ('id="error-summary"', "invalid-feedback", "alert-danger", "alert-warning", "errorlist")
NOT_REACHED = {404, 405}

DIGITS = "0123456789"
ODD_DIGITS = (
    "¹²³⁰⁴⁵⁶⁷⁸⁹"  # superscripts: isdigit() is True, int() fails
    "①②③④⑤⑥⑦⑧⑨⑩"  # circled
    "０１２３４５６７８９"  # full-width: int() takes them
    "٠١٢٣٤٥٦٧٨٩"  # Arabic-Indic: int() takes them
    "۰۱۲۳۴۵۶۷۸۹०१२३"  # Extended Arabic-Indic, Devanagari
    "₀₁₂½⅓Ⅻ"  # subscripts, fractions, numerals
)
MARKS = "\x00\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2069\ufeff\u200b\u200d\x1b\r\n\t"
# Lone surrogates cannot be sent as UTF-8; the ones that can be encoded are pairs, i.e. astral characters.
ASTRAL = "😀𝟑𝟛𝟯𝟹𝔘\U000e0031"


def odd_text() -> st.SearchStrategy[str]:
    pieces = st.sampled_from(list(ODD_DIGITS + MARKS + ASTRAL + DIGITS + "+-. e"))
    return st.one_of(
        st.lists(pieces, min_size=1, max_size=8).map("".join),
        st.sampled_from(list(ODD_DIGITS)),
        st.builds(lambda d, m: d + m, st.sampled_from(list(DIGITS)), st.sampled_from(list(ODD_DIGITS + MARKS))),
        st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40),
        st.sampled_from(["nan", "inf", "-0", "+1", "1e9", "1_0", "0x1", " 1 ", "99999999999999999999999"]),
        st.builds(lambda c, n: c * n, st.sampled_from(["3", "³", "x", "\x00"]), st.sampled_from([5000, 30000])),
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | odd_text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text(), inner, max_size=3),
    max_leaves=6,
)


# --- the client's world -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.conf import settings as django_settings

    hashers = django_settings.PASSWORD_HASHERS
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), transaction.atomic():
        therapist = make_user(Role.THERAPIST, username="odd-therapist")
        user = make_user(Role.CLIENT, username="odd-client")
        case = make_case(therapist=therapist, users=[user, make_user(Role.CLIENT, username="odd-partner")])
        person = Client.objects.get(user=user)
        request = RequestFactory().post("/")
        request.user = user
        intake = intake_for(person, request=request)
        intake.save_section("about", {"legal_name": "Sam Odd", "date_of_birth": "1990-01-02"}, complete=False)
        power = assign(client=person, key="power", by=therapist)
        power.save_answers({"dec1": 1, "dec2": 0})
        safety = assign(client=person, key="safety", by=therapist)
        safety.save_answers({instrument_of(safety).items[0].id: 0})
        exercise = library_exercise()
        today = timezone.localdate()
        (practice,) = assign_exercise(
            case=case, clients=[person], exercise=exercise, starts_on=today, ends_on=today, by=therapist
        )
        newcomer = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL).clients.get()
        request.user = therapist
        token = send_invitation(client=newcomer, by=therapist, request=request).link.rsplit("/", 2)[-2]
        ids = {
            "user": user,
            "client": person,
            "case": case,
            "uuids": [power.code, safety.code, person.code, case.code, practice.code],
            "token": token,
        }
        ids["endpoints"] = discover(ids)
        yield ids
        transaction.set_rollback(True)
    django_settings.PASSWORD_HASHERS = hashers


def as_who(who: str, world) -> HttpClient:
    http = HttpClient(raise_request_exception=False)
    if who == "client":
        sign_in(http, world["user"])
    return http


def candidate_urls(pattern, world) -> list[str]:
    """The pattern's URL with every plausible filling from the client's world."""
    fillings = [{}]
    for name, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__.lower().replace("converter", "")
        if kind == "uuid":
            # By this project's naming: a case_code is a case, a client_code a client; any other code may be anything.
            values = {"case_code": [world["case"].code], "client_code": [world["client"].code]}.get(
                name, world["uuids"]
            )
        elif kind == "int":
            values = [1, 2, 3]
        elif name == "token":
            values = [world["token"]]
        elif kind == "isodate":
            values = ["2026-12-07"]
        else:
            values = ["MQ"]
        fillings = [{**f, name: v} for f in fillings for v in values]
    return [reverse(pattern.name, kwargs=f) for f in fillings]


def discover(world) -> list[tuple[str, str, str]]:
    """(who, URL name, URL) for every URL that takes a POST from the client or from anyone."""
    found = []
    http = {who: as_who(who, world) for who in ("anonymous", "client")}
    for pattern in ALL:
        for who in ("anonymous", "client"):
            for url in candidate_urls(pattern, world):
                point = transaction.savepoint()
                response = http[who].post(url, {})
                transaction.savepoint_rollback(point)
                if who == "client" and "_auth_user_id" not in http[who].session:
                    http[who] = as_who(who, world)  # that URL signed the client out
                signs_in = response.status_code == 302 and response.url.startswith(reverse("login") + "?")
                if response.status_code not in NOT_REACHED and not signs_in:
                    found.append((who, pattern.name, url))
                if response.status_code not in NOT_REACHED or signs_in:
                    break  # found, or private whatever the filling
    return found


def test_the_endpoints_found_include_every_client_and_public_form(world, db):
    names = {(who, name) for who, name, _ in world["endpoints"]}
    expected = {
        ("anonymous", "self_check"),
        ("anonymous", "inquiry_start"),
        ("anonymous", "invitation_accept"),
        ("anonymous", "login"),
        ("anonymous", "password_reset"),
        ("client", "questions"),
        ("client", "questions_save"),
        ("client", "intake_section"),
        ("client", "intake_autosave"),
        ("client", "password_change"),
        ("client", "my_practice"),
        ("client", "checkin_autosave"),
    }
    assert expected <= names, sorted(expected - names)


# --- what a page would send --------------------------------------------------------------------------------


def page_fields(html: str) -> dict[str, str]:
    """The form's fields with the values the page shows; the first choice of each radio group left empty."""
    soup = BeautifulSoup(html, "html.parser")
    data: dict[str, str] = {}
    for field in soup.select("form[method=post] input[name], form[method=post] textarea[name], form select[name]"):
        name, kind = field["name"], field.get("type", "text")
        if name == "csrfmiddlewaretoken" or kind in ("submit", "button"):
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif kind == "radio":
            if field.has_attr("checked") or name not in data:
                data[name] = field.get("value", "")
        elif kind == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


def valid_looking(http: HttpClient, name: str, url: str, world) -> dict[str, str]:
    if name.endswith("_save") or name.endswith("_autosave"):
        # A save-as-you-go endpoint takes the fields of the page it saves.
        url = url.rsplit("save/", 1)[0]
    response = http.get(url)
    return page_fields(response.content.decode(errors="replace")) if response.status_code == 200 else {}


# --- what was stored ----------------------------------------------------------------------------------------


def snapshot(world) -> dict:
    person = Client.objects.get(pk=world["client"].pk)
    intake = Intake.objects.filter(client=person).first()
    return {
        "rows": row_counts(),
        "screenings": {s.code: s.answers for s in Screening.objects.filter(client=person)},
        "intake": intake.answers if intake else None,
        "contact": {f: getattr(person, f) for f in ("email", "phone", "may_email", "may_call", "may_text")},
    }


def answers_are_choices(world) -> list[str]:
    wrong = []
    for screening in Screening.objects.filter(client=world["client"]):
        instrument = instrument_of(screening)
        for item_id, value in screening.answers.items():
            try:
                check_answer(instrument, instrument.item(item_id), value)
            except (InvalidAnswer, StopIteration):
                wrong.append(f"{screening.instrument_key}.{item_id}")
    return wrong


def draft_kept_as_typed(before: dict, after: dict, sent: dict) -> list[str]:
    """Each intake answer is what it was, or exactly what was sent for it (without NUL)."""
    wrong = []
    for section, values in (after or {}).items():
        for field, value in values.items():
            old = ((before or {}).get(section) or {}).get(field)
            typed = sent.get(field)
            typed = typed[-1] if isinstance(typed, list) else typed
            if (
                value != old
                and not (isinstance(typed, str) and value == storable(typed))
                and not isinstance(value, bool)
            ):
                wrong.append(f"{section}.{field}")
    return wrong


def refused(response) -> bool:
    if response.status_code >= 400:
        return True
    body = response.content.decode(errors="replace") if "text/html" in response.get("Content-Type", "") else ""
    return response.status_code == 200 and any(marker in body for marker in ERROR_MARKERS)


# --- the log ------------------------------------------------------------------------------------------------


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def log():
    """Every logger at DEBUG, every record kept (also from loggers that do not propagate)."""
    capture = Capture()
    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in list(logging.Logger.manager.loggerDict))]
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
        lg.addHandler(capture)
    yield capture
    for lg, level, disabled in saved:
        lg.setLevel(level)
        lg.disabled = disabled
        lg.removeHandler(capture)


def texts_of(record: logging.LogRecord) -> list[str]:
    texts = [str(record.msg), repr(record.args)]
    with contextlib.suppress(Exception):  # a record that cannot be formatted still had its parts checked
        texts.append(record.getMessage())
    if record.exc_info and record.exc_info[1] is not None:
        texts.append("".join(traceback.format_exception(*record.exc_info)))
    if record.exc_text:
        texts.append(record.exc_text)
    return texts


def telltales(value: str) -> list[str]:
    """How a value would show in a log line: as written, and quoted (as exception messages quote it)."""
    shown = [repr(value)]
    distinctive = len(value) >= 6 and not re.fullmatch(r"[0-9a-f/ -]*", value)
    if distinctive or not value.isascii():
        shown += [value, value[:50]]
    return [s for s in shown if s.strip(" '\"")]


def logged(capture: Capture, values: list[str]) -> list[str]:
    found = []
    for record in capture.records:
        for text in texts_of(record):
            for value in values:
                if any(t in text for t in telltales(value)):
                    found.append(f"{record.name} {record.levelname}: {text[:200]!r}")
    return found


# --- the property -------------------------------------------------------------------------------------------


def send(world, log, who, name, url, *, data=None, body=None) -> list[str]:
    """One request; returns what went wrong."""
    point = transaction.savepoint()
    try:
        http = as_who(who, world)
        before = snapshot(world)
        log.records.clear()
        if body is not None:
            response = http.post(url, body, content_type="application/json", HTTP_ACCEPT="application/json")
        else:
            response = http.post(url, data, HTTP_ACCEPT="text/html")
        after = snapshot(world)
        problems = []
        if response.status_code >= 500:
            problems.append(f"answered {response.status_code}")
        problems += [f"stored an answer off the scale: {a}" for a in answers_are_choices(world)]
        sent_values = (
            [body]
            if body is not None
            else [v for vs in (data or {}).values() for v in (vs if isinstance(vs, list) else [vs])]
        )
        problems += [f"logged: {line}" for line in logged(log, [v for v in sent_values if isinstance(v, str) and v])]
        if name in KEEPS_WHAT_WAS_TYPED and data is not None:
            problems += [
                f"intake draft not as typed: {f}" for f in draft_kept_as_typed(before["intake"], after["intake"], data)
            ]
        if refused(response):
            ignored = RECORDS_OF_REFUSALS | PAGE_OWN_ROWS.get(name, set())
            rows = {
                t: (n, after["rows"][t])
                for t, n in before["rows"].items()
                if after["rows"][t] != n and t not in ignored
            }
            if rows:
                problems.append(f"refused ({response.status_code}) but wrote rows {rows}")
            for part in ("screenings", "contact") + (
                () if name in KEEPS_WHAT_WAS_TYPED and body is None else ("intake",)
            ):
                if before[part] != after[part]:
                    problems.append(f"refused ({response.status_code}) but changed the stored {part}")
        return problems
    finally:
        transaction.savepoint_rollback(point)


@settings(max_examples=70, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), value=odd_text(), everywhere=st.booleans(), doubled=st.booleans())
def test_odd_values_in_forms_never_crash_store_or_log(world, log, db, data, value, everywhere, doubled):
    who, name, url = data.draw(st.sampled_from(world["endpoints"]), label="endpoint")
    form = valid_looking(as_who(who, world), name, url, world)
    fields = sorted(form) or ["value"]
    if everywhere:
        form = dict.fromkeys(fields, value)
    else:
        form[data.draw(st.sampled_from(fields), label="field")] = [value, value] if doubled else value
    problems = send(world, log, who, name, url, data=form)
    assert not problems, f"POST {name} as {who}:\n" + "\n".join(problems)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), payload=json_values)
def test_json_bodies_of_any_shape_never_crash_store_or_log(world, log, db, data, payload):
    who, name, url = data.draw(st.sampled_from(world["endpoints"]), label="endpoint")
    body = json.dumps(payload, ensure_ascii=False)
    problems = send(world, log, who, name, url, body=body)
    assert not problems, f"POST {name} as {who} with {body[:80]!r}:\n" + "\n".join(problems)


# --- the cases that were reported, spelled out ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["³", "①", "３", "٣", "3\u200f", "\x003"])
def test_a_superscript_or_circled_digit_on_the_self_check_is_refused_politely(world, log, db, value):
    form = valid_looking(as_who("anonymous", world), "self_check", reverse("self_check"), world)
    form["dec1"] = value
    assert not send(world, log, "anonymous", "self_check", reverse("self_check"), data=form)
    response = as_who("anonymous", world).post(reverse("self_check"), form)
    assert response.status_code == 200
    assert "What your answers suggest" not in response.content.decode()


@pytest.mark.parametrize("value", ["³", "①", "３", "٣"])
def test_an_odd_digit_in_a_questionnaire_is_refused_and_nothing_is_stored(world, log, db, value):
    power = Screening.objects.get(client=world["client"], instrument_key="power")
    url = reverse("questions", kwargs={"code": power.code})
    http = as_who("client", world)
    form = valid_looking(http, "questions", url, world)
    form["dec3"] = value
    assert not send(world, log, "client", "questions", url, data=form)
    saved = reverse("questions_save", kwargs={"code": power.code})
    assert not send(world, log, "client", "questions_save", saved, data=form)
    response = http.post(saved, form)
    assert response.status_code == 400
    power.refresh_from_db()
    assert power.answers == {"dec1": 1, "dec2": 0} and not power.is_submitted


def test_a_json_body_to_an_autosave_endpoint_is_refused_and_erases_nothing(world, db):
    power = Screening.objects.get(client=world["client"], instrument_key="power")
    http = as_who("client", world)
    for url in (reverse("questions_save", kwargs={"code": power.code}), reverse("intake_autosave", kwargs={"step": 1})):
        response = http.post(url, {"dec1": [1]}, content_type="application/json")
        assert response.status_code == 400
    power.refresh_from_db()
    assert power.answers == {"dec1": 1, "dec2": 0}
    assert Intake.objects.get(client=world["client"]).answers["about"]["legal_name"] == "Sam Odd"
