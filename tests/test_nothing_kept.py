"""Nothing a client types is kept by the browser: every form and field of every client and public page says so.

Every URL pattern in the URLconf is asked for, with the demo's real ids (the
permission matrix's rows), as an anonymous visitor and as each demo client
(client1 has sent their intake, client2 is half-way, client5 is alone, client6
reads Spanish and has not started hers), by GET and by POST (empty, so that
forms come back with their errors, and with the row's data). Every page that
answers 200 is parsed: each `<form>` and each field a person can type into or
tick carries autocomplete="off"
(password fields "new-password": see clinic/lib/forms.py). A new client or
public page with a bare field fails here without being listed anywhere.

The pages' scripts are read too: nothing may use browser storage.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.staticfiles import finders
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.screenings import assign
from clinic.accounts.models import User
from clinic.clients.models import Client
from intake.sections import SECTIONS
from tests.browserlike import BrowserLikeClient as HttpClient
from tests.conftest import sign_in
from tests.test_permission_matrix import MATRIX
from tests.test_url_protection import sample_url

VISITORS = ["anonymous", "client1", "client2", "client5", "client6"]
NOT_TYPED = {"hidden", "submit", "button", "reset", "image"}
# What a password field may say instead of "off", which Chromium's password manager ignores.
PASSWORD_TOKENS = {"new-password"}
STORAGE = re.compile(r"\b(localStorage|sessionStorage|indexedDB|caches\s*\.|serviceWorker|document\.cookie)\b")


class FieldReader(HTMLParser):
    """Every form, field and script of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.fields: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = {name: (value or "") for name, value in attrs}
        if tag == "form":
            self.forms.append(attrs)
        elif tag in ("input", "textarea", "select"):
            self.fields.append((tag, attrs))
        elif tag == "script":
            self._in_script = True
            if attrs.get("src"):
                self.scripts.append(attrs["src"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline.append(data)


def problems_in(html: str) -> list[str]:
    """What on this page would let the browser keep what is typed."""
    page = FieldReader()
    page.feed(html)
    found = [f'<form {form}> has no autocomplete="off"' for form in page.forms if form.get("autocomplete") != "off"]
    for tag, attrs in page.fields:
        kind = attrs.get("type", "text").lower() if tag == "input" else tag
        if kind in NOT_TYPED:
            continue
        allowed = PASSWORD_TOKENS if kind == "password" else {"off"}
        if attrs.get("autocomplete") not in allowed:
            found.append(
                f"<{tag} name={attrs.get('name')!r} type={kind!r}> has autocomplete={attrs.get('autocomplete')!r}"
            )
    found.extend(f"an inline script uses {m.group(1)}" for text in page.inline for m in [STORAGE.search(text)] if m)
    return found


def typed_fields(html: str) -> list[tuple[str, dict]]:
    page = FieldReader()
    page.feed(html)
    return [(tag, attrs) for tag, attrs in page.fields if tag != "input" or attrs.get("type", "text") not in NOT_TYPED]


def scripts_in(html: str) -> set[str]:
    page = FieldReader()
    page.feed(html)
    return set(page.scripts)


def walk(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry


def urls_for(pattern: URLPattern, ids: dict) -> list[str]:
    """The demo URL(s) of a pattern: every intake section, not just the first."""
    if pattern.name == "intake_section":
        return [reverse(pattern.name, kwargs={"step": step}) for step in range(1, len(SECTIONS) + 1)]
    if pattern.name == "password_reset_confirm":
        # A live link for client5 (made now: the token lapses when they sign in, as they do here).
        casey = User.objects.get(username="client5")
        token = default_token_generator.make_token(casey)
        return [reverse(pattern.name, kwargs={"uidb64": urlsafe_base64_encode(force_bytes(casey.pk)), "token": token})]
    if pattern.name == "questions":
        return [reverse(pattern.name, kwargs={"code": code}) for code in ids["questionnaires"]]
    if pattern.name in MATRIX:
        return [reverse(pattern.name, kwargs=MATRIX[pattern.name].kwargs(ids))]
    return [sample_url(pattern)]


LOGIN = "/account/login/"


def visit_every_page(ids: dict, names: set[str] | None = None):
    """(who, method, url, response) for every client and public page that answers 200 with HTML."""
    for pattern in walk(get_resolver().url_patterns):
        if names is not None and pattern.name not in names:
            continue
        row = MATRIX.get(pattern.name)
        data = row.data(ids) if row else {}
        for url in urls_for(pattern, ids):
            for who in VISITORS:
                http = HttpClient()
                if who != "anonymous":
                    sign_in(http, ids["users"][who])
                for method, sent in [("get", None), ("post", {})] + ([("post", data)] if data else []):
                    response = http.get(url) if method == "get" else http.post(url, sent)
                    where = url
                    if method == "get" and response.status_code == 302 and not response.url.startswith(LOGIN):
                        # Sent on (a reset link to its form, a finished intake to its copy): look there.
                        where = response.url
                        response = http.get(where)
                    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                        yield who, method, where, response


@pytest.fixture(scope="module")
def ids(demo, django_db_blocker):
    """The demo's ids, and both questionnaires open for client1 (the demo opens only one)."""
    with django_db_blocker.unblock():
        jo = Client.objects.get(user__username="client1")
        codes = [assign(client=jo, key=key, by=demo["users"]["therapist1"]).code for key in ("power", "safety")]
    return {**demo, "questionnaires": codes}


@pytest.fixture(scope="module")
def every_page(ids, django_db_blocker):
    with django_db_blocker.unblock():
        return [(who, method, url, response.content.decode()) for who, method, url, response in visit_every_page(ids)]


def test_every_form_and_field_of_every_client_and_public_page_says_keep_nothing(every_page, db):
    wrong = [
        f"{method.upper()} {url} as {who}: {problem}"
        for who, method, url, html in every_page
        for problem in problems_in(html)
    ]
    assert not wrong, "\n".join(sorted(set(wrong)))


def test_the_pages_asked_for_include_every_form_a_client_fills(every_page, ids, db):
    # The check above is only as good as the pages it saw: these must be among them, with their fields.
    seen = {url for _, _, url, html in every_page if typed_fields(html)}
    expected = [reverse("intake_section", kwargs={"step": step}) for step in range(1, len(SECTIONS) + 1)]
    expected += [reverse("inquiry_start"), reverse("self_check"), reverse("login"), reverse("password_reset")]
    expected += [reverse("password_change"), reverse("two_factor_setup")]
    expected += [reverse("my_practice", kwargs=MATRIX["my_practice"].kwargs(ids)), reverse("my_goals")]
    missing = [url for url in expected if url not in seen]
    assert not missing, missing
    assert sum("/my/questions/" in url for url in seen) == 2, "both questionnaires"
    assert any(url.startswith("/welcome/") for url in seen), "the invitation page"
    assert any(url.startswith("/account/reset/") for url in seen), "the reset-confirm page"


def test_no_page_script_uses_browser_storage(every_page, db):
    sources = set().union(*(scripts_in(html) for *_, html in every_page))
    assert any("quick-exit.js" in src for src in sources) and any("autosave.js" in src for src in sources)
    wrong = []
    for src in sources:
        assert src.startswith(settings.STATIC_URL), f"{src}: every script is served by the app"
        path = finders.find(src.removeprefix(settings.STATIC_URL).split("?")[0])
        assert path, src
        text = Path(path).read_text()
        wrong.extend(f"{src}: {m.group(1)}" for m in STORAGE.finditer(text))
    assert not wrong, wrong


def test_error_pages_keep_nothing_either(db):
    http = HttpClient()
    assert not problems_in(http.get("/no-such-page/").content.decode())
    strict = HttpClient(enforce_csrf_checks=True)
    refused = strict.post(
        reverse("inquiry_start"), {"message": "typed before the token ran out"}, HTTP_ORIGIN="http://testserver"
    )
    assert refused.status_code == 403 and "typed before the token ran out" in refused.content.decode()
    assert not problems_in(refused.content.decode())


# The check must be able to fail.


def test_the_check_finds_a_bare_field_a_bare_form_and_a_remembered_password():
    assert len(problems_in('<form method="post"><input name="x" autocomplete="off"></form>')) == 1
    assert len(problems_in('<form autocomplete="off"><textarea name="x"></textarea></form>')) == 1
    assert len(problems_in('<form autocomplete="off"><select name="x" autocomplete="on"></select></form>')) == 1
    assert (
        len(
            problems_in(
                '<form autocomplete="off"><input type="password" name="p" autocomplete="current-password"></form>'
            )
        )
        == 1
    )
    assert len(problems_in('<form autocomplete="off"><input type="radio" name="r"></form>')) == 1
    assert problems_in("<script>localStorage.setItem('a', 1)</script>")
    assert not problems_in(
        '<form autocomplete="off"><input type="hidden" name="csrfmiddlewaretoken"><button>Go</button></form>'
    )


@pytest.fixture
def a_new_page_with_a_bare_field(settings):
    settings.ROOT_URLCONF = "tests.urls_with_a_bare_page"


def test_a_new_client_page_with_a_bare_field_fails_the_check(ids, db, a_new_page_with_a_bare_field):
    pages = [response.content.decode() for _, _, url, response in visit_every_page(ids, {"bare_page"})]
    assert pages, "the new page was found by walking the URLconf"
    for html in pages:
        # The page's own bare <form> and <input> are found; its Django form field is covered centrally.
        assert sorted(problems_in(html)) == [
            "<form {'method': 'post'}> has no autocomplete=\"off\"",
            "<input name='nickname' type='text'> has autocomplete=None",
        ]
        assert '<input type="text" name="safe_word" autocomplete="off"' in html
