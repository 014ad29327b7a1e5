"""Switching a public page's language after typing asks first: the other language's page starts empty."""

from playwright.sync_api import expect

from tests.browser.test_spanish_client_pages import PHONE


def test_typing_then_switching_language_asks_and_keeps_the_words_when_declined(browser, live_server, screenshot):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(8000)
    page.goto(live_server.url + "/es/start/")
    english = page.locator("a[data-language-switch]")
    words = "Quisiera hablar con alguien — sólo por la mañana, señora Núñez 🌱"
    page.locator("textarea[name=message]").fill(words)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    english.click()
    assert asked and "Lo que escribió en esta página no se conserva" in asked[0]
    # Declined: still the Spanish page, with every word.
    assert page.url.endswith("/es/start/")
    expect(page.locator("textarea[name=message]")).to_have_value(words)
    screenshot("es-start-switch-declined", on=page)
    page.once("dialog", lambda dialog: dialog.accept())
    english.click()
    page.wait_for_url("**/start/")
    assert not page.url.endswith("/es/start/")
    assert page.locator("html").get_attribute("lang").startswith("en")
    context.close()


def test_switching_before_typing_asks_nothing(browser, live_server):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(8000)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.goto(live_server.url + "/es/check/")
    page.locator("a[data-language-switch]").click()
    page.wait_for_url("**/check/")
    assert not page.url.endswith("/es/check/") and asked == []
    context.close()
