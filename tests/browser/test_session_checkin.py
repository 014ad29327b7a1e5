"""After a session, a client answers the check-in on a phone in well under a minute, by touch or by keyboard."""

import time

from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import SessionCheckIn
from tests.browser.signing import sign_in, staff_sign_in
from tests.factories import attended_session

LINES = ("I felt heard.", "I had a say in what we worked on.", "It felt safe to disagree here.")


def test_a_client_answers_on_a_phone_in_under_a_minute(
    page, live_server, therapist, couple_case, person, partner, client_user, screenshot, assert_accessible
):
    session = attended_session(couple_case, by=therapist)
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, client_user.username)
    task = page.get_by_role("link", name="About your last appointment")
    expect(task).to_be_visible()
    screenshot("checkin-home-360")
    started = time.monotonic()
    task.click()
    expect(page.get_by_role("heading", name="About your last appointment")).to_be_visible()
    # Eleven buttons per line fit the phone: nothing scrolls sideways, each at least 24 px wide.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    widths = page.locator(".scale-0-10 label").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert len(widths) == 55 and min(widths) >= 24
    screenshot("checkin-empty-360")
    assert_accessible()
    for fieldset, value in zip(page.locator("fieldset.question").all(), ("8", "7", "9", "8", "9"), strict=True):
        fieldset.locator("label", has_text=value).first.click()
    page.get_by_label("Anything you would like your therapist to know? (optional)").fill("The pause helped. ✓")
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=5000)
    screenshot("checkin-filled-360")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thank you. Your answers have reached your therapist.")).to_be_visible()
    assert time.monotonic() - started < 60
    expect(page.get_by_role("link", name="About your last appointment")).to_have_count(0)
    checkin = SessionCheckIn.objects.get(session=session, client=person)
    assert checkin.is_submitted and checkin.mean == 8.2 and checkin.comment == "The pause helped. ✓"
    screenshot("checkin-sent-360")


def test_the_scale_works_from_the_keyboard_and_a_reload_keeps_the_choices(
    page, live_server, therapist, couple_case, person, client_user
):
    session = attended_session(couple_case, by=therapist)
    checkin = session.checkins.get(client=person)
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, client_user.username)
    page.goto(live_server.url + reverse("session_checkin", kwargs={"code": checkin.code}))
    first = page.locator("#heard-5")
    first.focus()
    page.keyboard.press("ArrowRight")  # radios: the arrow moves the choice to 6
    expect(page.locator("#heard-6")).to_be_checked()
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=5000)
    # The line saved twice from this window: the second save builds on the first (no false "another window").
    line = page.get_by_label("Anything you would like your therapist to know? (optional)")
    line.fill("First words")
    line.blur()
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=5000)
    line.fill("First words, then more")
    line.blur()
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=5000)
    page.reload()
    expect(page.locator("#heard-6")).to_be_checked()
    expect(line).to_have_value("First words, then more")
    checkin.refresh_from_db()
    assert checkin.answers == {"heard": "6"} and checkin.comment == "First words, then more"


def test_the_therapist_sees_both_partners_answers_and_the_balance_alert(
    page, live_server, therapist, couple_case, person, partner, screenshot, assert_accessible
):
    from tests.factories import checkins_sent

    checkins_sent(couple_case, therapist, {person: ("Hard to get a word in.", 5), partner: ("", 8)}, sessions=3)
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, therapist)
    expect(page.locator(".balance-alerts li")).to_contain_text(person.display_name)
    page.locator(".balance-alerts a").first.click()
    expect(page.locator("#balance-alerts")).to_contain_text("rates sessions lower than their partner")
    expect(page.locator("#checkins-h")).to_be_visible()
    assert_accessible()
    screenshot("checkin-case-page-1280")
    page.locator("#balance-alerts").get_by_label("What you noticed or did").fill("Asked Jo first; slowed down.")
    page.locator("#balance-alerts").get_by_role("button", name="Resolve").click()
    expect(page.get_by_text("Balance alert resolved.")).to_be_visible()
    expect(page.locator("#balance-alerts")).to_have_count(0)
