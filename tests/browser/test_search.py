import re

from playwright.sync_api import expect

from clinic.accounts.models import Role
from tests.browser.signing import staff_sign_in
from tests.factories import make_case, make_user


def test_a_therapist_finds_a_client_as_they_type_without_the_name_in_the_url(live_server, page, screenshot):
    therapist = make_user(Role.THERAPIST, username="therapist1", first_name="Theo", last_name="Marsh")
    client = make_case(therapist=therapist).clients.first()
    client.full_name = "Zoë Martínez"
    client.save()
    page.set_viewport_size({"width": 1280, "height": 800})
    staff_sign_in(page, live_server.url, therapist)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    urls = []
    page.on("request", lambda r: urls.append(r.url))
    page.get_by_label("Find a client or case by name").press_sequentially("marti")
    results = page.locator("#staff-search-results")
    expect(results.get_by_text("Zoë Martínez")).to_be_visible()
    screenshot("search-as-you-type-1280", full_page=False)
    assert not [u for u in urls if "mart" in u.lower()]
    page.get_by_label("Find a client or case by name").press("Enter")
    expect(page.get_by_role("heading", name="Find a client or case")).to_be_visible()
    expect(page.locator("main").get_by_text("Zoë Martínez")).to_be_visible()
    assert "mart" not in page.url.lower()
    results_link = page.locator("main").get_by_role("link", name=re.compile("case"))
    results_link.first.click()
    expect(page).to_have_url(re.compile(r"/cases/"))


def test_a_name_typed_before_the_page_finished_loading_is_still_searched(live_server, page):
    therapist = make_user(Role.THERAPIST, username="therapist1", first_name="Theo", last_name="Marsh")
    client = make_case(therapist=therapist).clients.first()
    client.full_name = "Zoë Martínez"
    client.save()
    staff_sign_in(page, live_server.url, therapist)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    held = []
    page.route(re.compile(r"/js/search[^/]*\.js"), lambda route: held.append(route))
    page.reload(wait_until="commit")
    page.get_by_label("Find a client or case by name").fill("marti")
    assert held, "the search script was not requested"
    held[0].continue_()
    expect(page.locator("#staff-search-results").get_by_text("Zoë Martínez")).to_be_visible()
