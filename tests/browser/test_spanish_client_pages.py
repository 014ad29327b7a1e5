"""Every page a Spanish-speaking client can reach, in a real browser on a phone-sized window.

The demo's clients are set to Spanish; each signs in and follows every link of their own pages, as a person
tapping through would, from their home. Each page must say `lang="es"`, pass axe (no serious or critical
violation) at 360 px, be no wider than the screen, and is kept as a screenshot. A new client page that a link reaches is checked without
being listed here. The public pages are walked the same way from their Spanish addresses, as a visitor.
"""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from clinic.clients.models import Client
from tests.browser.test_measurement_in_the_demo import sign_in

PHONE = {"width": 360, "height": 740}
# Not pages to read: files, calendar feeds, and the way out.
SKIP = ("/logout", ".pdf", ".ics", "/feed/", "/download")
MOST = 60
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def spanish_demo(transactional_db, settings):
    settings.TASKS_BACKEND = "immediate"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())
    Client.objects.update(language="es")


def same_site_links(page, base: str) -> list[str]:
    links = page.eval_on_selector_all(
        "a[href]", "links => links.map(a => [a.href, a.getAttribute('hreflang') || a.getAttribute('lang') || ''])"
    )
    found = []
    for href, language in links:
        parts = urlsplit(href)
        # The switch to the same page in another language is that language's page, not this walk's.
        if language and not language.startswith("es"):
            continue
        if href.startswith(base) and not any(part in parts.path for part in SKIP):
            found.append(base + parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def walk(page, base: str, starts: list[str], name: str, screenshot, assert_accessible) -> list[str]:
    """Every page reachable by links from `starts`: each in Spanish, accessible, photographed. Returns the paths."""
    seen, queue = [], [base + start for start in starts]
    while queue and len(seen) < MOST:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.append(url)
        response = page.goto(url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        assert page.locator("html").get_attribute("lang") == "es", f"{url} is not in Spanish"
        assert_accessible()
        # Longer words must not push the page wider than the phone (a sideways scroll hides a control).
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"{url} is {wide}px wider than a {PHONE['width']}px screen"
        path = UUID.sub("x", urlsplit(page.url).path).strip("/").replace("/", "-") or "home"
        screenshot(f"es-{name}-{len(seen):02d}-{path}", on=page)
        queue.extend(link for link in same_site_links(page, base) if link not in seen and link not in queue)
    return [urlsplit(url).path for url in seen]


@pytest.mark.parametrize("username", ["client1", "client5"])
def test_every_page_a_spanish_client_reaches_is_spanish_and_accessible_on_a_phone(
    spanish_demo, browser, live_server, screenshot, assert_accessible, username
):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server.url, username)
    page.set_default_timeout(8000)
    paths = walk(page, live_server.url, ["/my/"], username, screenshot, lambda: assert_accessible(on=page))
    # The walk reached the pages that matter, not only the home.
    for part in ("/my/", "/account/", "/help/", "/my/contact/", "/my/appointments/"):
        assert any(path.endswith(part) or path == part for path in paths), (part, paths)
    assert len(paths) >= 8, paths
    context.close()


def test_every_public_page_in_spanish_is_spanish_and_accessible_on_a_phone(
    spanish_demo, browser, live_server, screenshot, assert_accessible
):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(8000)
    starts = ["/es/check/", "/es/start/", "/es/help/", "/es/account/login/", "/es/account/password/reset/"]
    paths = walk(page, live_server.url, starts, "visitor", screenshot, lambda: assert_accessible(on=page))
    for part in starts:
        assert part in paths, (part, paths)
    context.close()
