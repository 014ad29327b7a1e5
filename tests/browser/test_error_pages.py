"""What a client sees when the practice's records are out of reach for a moment."""

from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from playwright.sync_api import expect

from clinic.accounts.models import Role
from tests.browser.signing import sign_in
from tests.factories import make_user


def test_a_database_outage_reads_calmly_on_a_phone_and_a_desktop(
    live_server, page, screenshot, assert_accessible, monkeypatch
):
    make_user(Role.CLIENT, username="client1", first_name="Jo")
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, "client1")
    expect(page.get_by_role("link", name="Sign out").or_(page.get_by_role("button", name="Sign out"))).to_be_visible()

    def refuse(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SessionStore, "load", refuse)
    response = page.goto(f"{live_server.url}/my/forms/")
    assert response.status == 503 and response.headers["retry-after"] == "15"
    expect(page.get_by_role("heading", name="Please try again in a moment")).to_be_visible()
    expect(page.get_by_text("what you typed is still there")).to_be_visible()
    # Whoever walks in, the way out is still first on the page.
    expect(page.get_by_role("link", name="Exit this site")).to_be_visible()
    # The practice's stylesheet is there (the page is not bare HTML) and nothing technical shows.
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    assert "connection refused" not in page.content() and "Traceback" not in page.content()
    screenshot("database-outage-360")
    assert_accessible()
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot("database-outage-1280")
