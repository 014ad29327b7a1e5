"""Nothing kept by the browser, in real Chromium with a persistent profile, as on a shared household device.

Every client and public form page is filled with distinctive values (every
field, every tick), sent where sending is the real flow, and left by quick
exit (button or Esc); then Back, Back again and Forward must show nothing
that was typed or ticked. Then the profile is closed and Chromium's own
stores are read: form history (`autofill` in `Web Data`), its address
tables, saved passwords (`Login Data`), and every other file of the
profile, for any typed value. A control page with a bare form, sent the same
way, shows the check can fail: its value IS in form history.

Chromium runs with its back-forward cache on (Playwright turns it off by
default). Our pages are `no-store`, which keeps them out of that cache in
this Chromium; newer Chrome lets such pages in, so one test takes the header
away and checks that a page restored whole is emptied and fetched again.
"""

import contextlib
import sqlite3
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from assessments.screenings import assign
from clinic.accounts.models import Role, User
from clinic.clients.models import Case
from clinic.plans.exercises import assign as assign_exercise
from clinic.plans.models import Goal, PlanVersion
from clinic.plans.planning import sign_version, start_plan
from intake.invitations import send_invitation
from intake.models import Intake
from intake.sections import SECTIONS
from tests.browser.conftest import ARTIFACTS, CHROMIUM
from tests.factories import PASSWORD, attended_session, make_case, make_user
from tests.plans.practice_helpers import library_exercise

NEUTRAL = "https://neutral.example/weather"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Playwright turns the back-forward cache off; a person's browser has it on.
KEEP_BFCACHE = ["--disable-back-forward-cache"]
CONTROL = "Wkcontrol Ferris"
# Every field a person can reach: not hidden, not a button, not the spam trap nobody sees (out of the tab order).
FIELDS_TO_FILL = """() => Array.from(document.querySelectorAll('main form input, main form textarea, main form select'))
    .map((el, index) => ({index, kind: el.tagName === 'INPUT' ? el.type : el.tagName.toLowerCase(), name: el.name,
                          options: el.options ? el.options.length : 0,
                          reachable: !el.disabled && el.tabIndex !== -1 && el.getClientRects().length > 0}))
    .filter(f => f.reachable && !['hidden', 'submit', 'button'].includes(f.kind))"""
READ_FIELDS = """() => Array.from(document.querySelectorAll('input, textarea, select')).map(el => ({
    name: el.name, type: el.type, value: el.value,
    ticked: (el.type === 'checkbox' || el.type === 'radio') && el.checked && !el.defaultChecked,
    chosen: el.tagName === 'SELECT' && Array.from(el.options).some(o => o.selected && !o.defaultSelected),
}))"""


@pytest.fixture(autouse=True)
def _quick_failures():
    """These tests open their own persistent browser, not pytest-playwright's page."""


@pytest.fixture
def profile_dir(tmp_path):
    return tmp_path / "profile"


@pytest.fixture
def chromium(playwright, profile_dir, live_server, settings):
    """open() -> a persistent Chromium context on one profile directory; closed at the end."""
    settings.QUICK_EXIT_URL = NEUTRAL
    opened = []

    def _open():
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(profile_dir),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            ignore_default_args=KEEP_BFCACHE,
            viewport={"width": 1000, "height": 800},
        )
        context.set_default_timeout(8000)
        context.route(
            "https://neutral.example/**",
            lambda route: route.fulfill(
                status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>"
            ),
        )
        opened.append(context)
        return context

    yield _open
    for context in opened:
        with contextlib.suppress(Exception):  # already closed by the test
            context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"nothing-kept-{name}.png"))


class Typist:
    """Fills every field a person can reach with a value nobody else would type, and remembers them."""

    def __init__(self) -> None:
        self.typed: list[str] = []
        self.sign_in_names: list[str] = []
        self.count = 0

    def value(self, kind: str, name: str) -> str:
        self.count += 1
        n = self.count
        if kind == "email":
            value = f"zq{n}safe@example.org"
        elif kind == "date":
            value = f"19{50 + n % 40}-0{1 + n % 9}-1{n % 10}"
        elif "phone" in name or kind == "tel":
            value = f"01632 9{n:05d}"
        elif kind == "password" and name.endswith("2"):
            return self.typed[-1]  # "type the password again"
        elif kind == "password":
            value = f"Zq{n}-lantern-harbour-quiet"
        else:
            value = f"Zq{n}-{name.replace('_', '-')}"
            if name == "username":
                self.sign_in_names.append(value)
        self.typed.append(value)
        return value

    def fill_all(self, page) -> int:
        # One look at the form, then one real (trusted) action per field or radio group.
        fields = page.evaluate(FIELDS_TO_FILL)
        controls = page.locator("main form input, main form textarea, main form select")
        radios_done = set()
        for field in fields:
            control = controls.nth(field["index"])
            kind, name = field["kind"], field["name"]
            if kind == "checkbox":
                control.check()
            elif kind == "radio":
                if name in radios_done:
                    continue
                radios_done.add(name)
                radio = page.locator(f"main form input[type=radio][name='{name}']").last
                # A choice drawn as a button (the 0-10 scale) is chosen by its label, as a person taps it.
                label = page.locator(f"main form label[for='{radio.get_attribute('id')}']")
                (label if label.count() else radio).click()
                expect(radio).to_be_checked()
            elif kind == "select":
                control.select_option(index=field["options"] - 1)
            else:
                control.fill(self.value(kind, name))
        return len(fields)


def nothing_typed_or_ticked(page, typist: Typist, where: str) -> None:
    """The page now shown holds none of the typed values, in its fields or its text, and no tick."""
    # Not wait_for_load_state(): a page restored from the back-forward cache fires no load event.
    page.wait_for_function("() => document.readyState === 'complete'")
    page.wait_for_timeout(50)
    fields = page.evaluate(READ_FIELDS)
    typed = {value.lower() for value in typist.typed}
    # Any value with our marker, except in hidden fields (a random form token may hold the letters).
    found = [f for f in fields if f["value"].lower() in typed or (f["type"] != "hidden" and "zq" in f["value"].lower())]
    found += [f for f in fields if f["ticked"] or f["chosen"]]
    text = page.evaluate("document.body ? document.body.innerText : ''").lower()
    found += [value for value in typed if value in text]
    assert not found, f"{where} ({page.url}): {found}"


def exit_and_look(page, typist: Typist, name: str, *, by_key: bool) -> None:
    if by_key:
        page.keyboard.press("Escape")
    else:
        page.get_by_role("link", name="Exit this site").click()
    expect(page).to_have_url(NEUTRAL)
    nothing_typed_or_ticked(page, typist, f"{name}: after quick exit")
    page.go_back(wait_until="commit")
    nothing_typed_or_ticked(page, typist, f"{name}: Back")
    shot(page, f"{name}-back")
    page.go_back(wait_until="commit")
    nothing_typed_or_ticked(page, typist, f"{name}: Back twice")
    page.go_forward(wait_until="commit")
    nothing_typed_or_ticked(page, typist, f"{name}: Forward")


def visit(page, typist: Typist, url: str, name: str, *, send: str | None, by_key: bool) -> None:
    """Fill the page, send it (or leave it for the help page, keeping it in history), exit, and look."""
    page.goto(url)

    assert typist.fill_all(page), f"{name}: no field to fill at {page.url}"
    if send:
        page.locator("main form").get_by_role("button", name=send).click()
        page.wait_for_load_state()
    else:
        page.get_by_role("link", name="Help").click()
    page.wait_for_load_state()
    exit_and_look(page, typist, name, by_key=by_key)


def signed_in(context, live_server, user) -> None:
    """Give the browser a session of `user` (the sign-in form itself is tested as a page of its own)."""
    http = HttpClient()
    http.force_login(user)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "sessionid", "value": http.cookies["sessionid"].value, "domain": host, "path": "/"}])


def profile_holds(profile: Path, values: list[str]) -> dict[str, list[str]]:
    """Which of `values` Chromium kept, and where: SQLite stores by table, every other file by its bytes."""
    kept: dict[str, list[str]] = {}
    wanted = {v.lower() for v in values}
    for path in profile.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data.startswith(b"SQLite format 3"):
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                for table in tables:
                    for row in db.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 (names from sqlite_master)
                        cells = " ".join(str(cell).lower() for cell in row if isinstance(cell, str))
                        hits = [v for v in wanted if v in cells]
                        if hits:
                            kept.setdefault(f"{path.relative_to(profile)}:{table}", []).extend(hits)
        lowered = data.lower()
        hits = [v for v in wanted if v.encode() in lowered or v.encode("utf-16-le") in lowered]
        if hits:
            kept.setdefault(str(path.relative_to(profile)), []).extend(hits)
    return kept


def send_control_form(context, live_server) -> None:
    """A bare form (no autocomplete="off"), served by the test and sent the same way as ours."""
    page = context.new_page()
    bare = '<!doctype html><title>Control</title><form method="post" action="sent/"><label>Name <input name="contact_name"></label><button>Send</button></form>'
    context.route(
        f"{live_server.url}/control-form/", lambda route: route.fulfill(status=200, content_type="text/html", body=bare)
    )
    context.route(
        f"{live_server.url}/control-form/sent/",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Sent</title>Sent"),
    )
    page.goto(f"{live_server.url}/control-form/")
    page.get_by_label("Name").fill(CONTROL)
    page.get_by_role("button", name="Send").click()
    expect(page).to_have_title("Sent")
    page.close()


def no_browser_storage(page) -> None:
    counts = page.evaluate(
        """async () => ({
            local: localStorage.length, session: sessionStorage.length,
            indexedDB: (await indexedDB.databases()).length, caches: (await caches.keys()).length,
        })"""
    )
    assert counts == {"local": 0, "session": 0, "indexedDB": 0, "caches": 0}, counts


@pytest.fixture
def cast(db, therapist, client_user, couple_case, person):
    """A client half-way through intake with both questionnaires open, a newcomer with an invitation link."""
    for key in ("power", "safety"):
        assign(client=person, key=key, by=therapist)
    # Something to try this week, with its check-in form.
    exercise = library_exercise()
    today = timezone.localdate()
    (practice,) = assign_exercise(
        case=couple_case, clients=[person], exercise=exercise, starts_on=today, ends_on=today, by=therapist
    )
    # The goals the client is asked to confirm with their typed name.
    plan = start_plan(case=couple_case, by=therapist)
    Goal.objects.create(version=plan, practice="repair", statement="Repair within a day", progress_shows="Both say so")
    PlanVersion.objects.filter(pk=plan.pk).update(ask_acknowledgement=True)
    plan.refresh_from_db()
    sign_version(version=plan, by=therapist)
    # The check-in after a session two hours ago.
    checkin = attended_session(couple_case, by=therapist).checkins.get(client=person)
    newcomer = make_case(therapist=therapist, kind=Case.Kind.INDIVIDUAL).clients.get()
    request = RequestFactory().post("/")
    request.user = therapist
    link = send_invitation(client=newcomer, by=therapist, request=request).link
    resetting = make_user(Role.CLIENT, username="resetting", email="resetting@example.org")
    reset = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(resetting.pk)),
            "token": default_token_generator.make_token(resetting),
        },
    )
    return {
        "invitation": "/welcome/" + link.rstrip("/").rsplit("/", 1)[-1] + "/",
        "reset": reset,
        "practice": reverse("my_practice", kwargs={"code": practice.code}),
        "after-appointment": reverse("session_checkin", kwargs={"code": checkin.code}),
    }


def test_no_form_page_comes_back_and_the_profile_keeps_nothing(
    chromium, live_server, cast, client_user, person, profile_dir
):
    base = live_server.url
    typist = Typist()
    context = chromium()
    page = context.pages[0] if context.pages else context.new_page()

    # Public pages, as anyone on the device.
    public = [
        ("get-started", reverse("inquiry_start"), "Send"),
        ("self-check", reverse("self_check"), "See what my answers suggest"),
        ("sign-in", reverse("login"), "Sign in"),
        ("password-reset", reverse("password_reset"), "Send link"),
        ("reset-confirm", cast["reset"], "Save password"),
        ("invitation", cast["invitation"], "Create my account"),
    ]
    pages = 0
    for name, path, send in public:
        visit(page, typist, base + path, name, send=send, by_key=pages % 2 == 0)
        pages += 1
    assert User.objects.filter(username__startswith="Zq").count() == 1, "the invitation was accepted"

    # The client's own pages: every intake section, both questionnaires, the account pages.
    client_pages = [
        (f"intake-{step}", reverse("intake_section", kwargs={"step": step}), None)
        for step in range(1, len(SECTIONS) + 1)
    ]
    client_pages[0] = (client_pages[0][0], client_pages[0][1], "Save and continue")
    client_pages += [
        (f"questions-{screening.instrument_key}", reverse("questions", kwargs={"code": screening.code}), None)
        for screening in person.screenings.open()
    ]
    client_pages += [
        ("practice", cast["practice"], None),
        ("after-appointment", cast["after-appointment"], None),
        ("goals", reverse("my_goals"), None),
        ("password-change", reverse("password_change"), "Change password"),
        ("two-factor-setup", reverse("two_factor_setup"), "Confirm"),
    ]
    assert sum(name.startswith("questions-") for name, _, _ in client_pages) == 2
    # A real sign-in, typed, as the client does it each time.
    page.goto(base + reverse("login"))
    page.get_by_label("Username").fill("clientone")
    page.get_by_label("Password").fill(PASSWORD)
    typist.typed += ["clientone", PASSWORD]
    typist.sign_in_names.append("clientone")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    exit_and_look(page, typist, "signed-in-home", by_key=False)
    for name, path, send in client_pages:
        signed_in(context, live_server, client_user)
        visit(page, typist, base + path, name, send=send, by_key=pages % 2 == 0)
        pages += 1
    page.goto(base + reverse("login"))
    no_browser_storage(page)

    send_control_form(context, live_server)
    context.close()

    # The client's drafts are on the server, not in the browser.
    assert Intake.objects.get(client=person).answers
    kept = profile_holds(profile_dir, typist.typed)
    # One thing no page can stop: Chromium's password manager ignores autocomplete on a form with a
    # password (by design) and offers to save it after a sign-in or a new account. Nothing is saved
    # unless the person says yes (`logins` stays empty), but an unanswered offer is counted, with the
    # sign-in name, in Login Data's `stats` table (never offered back as a suggestion).
    prompted = kept.pop("Default/Login Data:stats", [])
    kept.pop("Default/Login Data", None)
    assert set(prompted) <= {v.lower() for v in typist.sign_in_names}, prompted
    # Every client and public form is answered by a redirect (clinic.middleware.AnswerByRedirectMiddleware),
    # so no history entry holds a POST body: Chromium's session-restore log (Sessions/) keeps no typed value.
    assert not kept, f"Chromium kept typed values: {kept}"
    with sqlite3.connect(f"file:{profile_dir / 'Default' / 'Login Data'}?mode=ro", uri=True) as logins:
        assert logins.execute("SELECT count(*) FROM logins").fetchone() == (0,)
    # The check can fail: the same Chromium, the same profile, kept the bare form's value.
    control = profile_holds(profile_dir, [CONTROL])
    assert "Default/Web Data:autofill" in control, control
    assert len(typist.typed) > 30 and pages == len(public) + len(client_pages)


def test_quick_exit_in_one_tab_empties_the_other_and_the_draft_stays_on_the_server(
    chromium, live_server, client_user, person
):
    base = live_server.url
    context = chromium()
    first = context.pages[0] if context.pages else context.new_page()
    signed_in(context, live_server, client_user)
    section = base + reverse("intake_section", kwargs={"step": 3})
    first.goto(section)
    first.get_by_label("Their name").fill("Priya Shah")
    first.get_by_label("Their phone number").fill("01632 960001")
    first.get_by_label("Their name").focus()  # leaving the field saves it
    for _ in range(50):
        saved = (Intake.objects.filter(client=person).values_list("answers", flat=True).first() or {}).get(
            "emergency", {}
        )
        if saved.get("phone") == "01632 960001":
            break
        first.wait_for_timeout(100)
    assert saved.get("phone") == "01632 960001", saved
    second = context.new_page()
    second.goto(section)
    expect(second.get_by_label("Their name")).to_have_value("Priya Shah")  # the server's draft
    second.get_by_label("How you know them").fill("Zqtab my neighbour")  # typed, not yet saved

    first.get_by_label("Their name").fill("Priya Shah-Olsen")  # typed just before leaving
    first.keyboard.press("Escape")
    expect(first).to_have_url(NEUTRAL)
    # The other tab left too, emptied: nothing typed, nothing of the signed-in pages.
    expect(second).to_have_url(NEUTRAL)
    shot(second, "second-tab")
    for tab in (first, second):
        text = tab.evaluate("document.body.innerText")
        assert "Priya" not in text and "Zqtab" not in text and "Emergency contact" not in text
        tab.go_back(wait_until="commit")
        tab.wait_for_function("() => document.readyState === 'complete'")
        # What came before (a blank tab here; the sign-in page if Back reached the section: signed out).
        assert "Emergency contact" not in tab.evaluate("document.body.innerText")
        values = [f["value"] for f in tab.evaluate(READ_FIELDS) if f["type"] != "hidden"]
        assert not any(values), values

    # Emptying the page never reached the server: the draft is what was saved, and the client sees it again.
    answers = Intake.objects.get(client=person).answers["emergency"]
    assert answers["name"] in ("Priya Shah", "Priya Shah-Olsen") and answers["phone"] == "01632 960001"
    signed_in(context, live_server, client_user)
    again = context.new_page()
    again.goto(section)
    expect(again.get_by_label("Their name")).to_have_value(answers["name"])
    expect(again.get_by_label("Their phone number")).to_have_value("01632 960001")
    # Exactly what the server holds (the other tab's last words only if its final save got there).
    answers = Intake.objects.get(client=person).answers["emergency"]
    expect(again.get_by_label("How you know them")).to_have_value(answers.get("relationship", ""))
    shot(again, "draft-after-signing-in-again")
    no_browser_storage(again)


BARE_WITH_SCRIPT = """<!doctype html><title>{title}</title>
<form method="post"><label>Name <input name="contact_name"></label></form>
<a href="{away}">Away</a>{script}"""


def test_a_page_the_back_forward_cache_brings_back_is_emptied_and_asked_for_again(chromium, live_server, db):
    """Newer Chrome keeps no-store pages in its back-forward cache; here the header is taken away to make it so."""
    base = live_server.url
    context = chromium()
    page = context.pages[0] if context.pages else context.new_page()

    def without_no_store(route):
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "cache-control"}
        route.fulfill(response=response, headers=headers)

    # The control: a page without our script is brought back whole, with what was typed.
    control = BARE_WITH_SCRIPT.format(title="Control", away=reverse("safety_page"), script="")
    context.route(
        f"{base}/control-cached/", lambda route: route.fulfill(status=200, content_type="text/html", body=control)
    )
    page.goto(f"{base}/control-cached/")
    page.get_by_label("Name").fill("Zqcached control")
    page.get_by_role("link", name="Away").click()
    expect(page).to_have_title("Fulcrum")
    page.go_back(wait_until="commit")
    expect(page.get_by_label("Name")).to_have_value("Zqcached control")
    assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "navigate"  # not fetched again

    # Our page, cacheable this time: brought back whole (the browser says so), then emptied and fetched again.
    shown = []
    page.expose_function("reportPageshow", lambda url, persisted: shown.append((url, persisted)))
    page.add_init_script("addEventListener('pageshow', e => window.reportPageshow(location.pathname, e.persisted))")
    page.context.route(f"{base}{reverse('inquiry_start')}", without_no_store)
    page.goto(base + reverse("inquiry_start"))
    page.evaluate("window.firstVisit = true")
    page.get_by_label("A few lines about what brings you").fill("Zqcached message")
    page.get_by_role("link", name="More help and support").click()
    expect(page.get_by_role("heading", name="Help and support")).to_be_visible()
    page.go_back(wait_until="commit")
    expect(page.get_by_label("A few lines about what brings you")).to_have_value("")
    assert page.evaluate("window.firstVisit") is None, "the restored page was replaced by a fresh one"
    start = reverse("inquiry_start")
    for _ in range(50):
        if shown[-1] == (start, False):
            break
        page.wait_for_timeout(100)
    assert shown[-2:] == [(start, True), (start, False)], shown  # restored from the cache, then fetched afresh
    shot(page, "back-forward-cache")
