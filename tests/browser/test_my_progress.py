"""A client on a phone opens "Your progress" from their home: their own answers over time, readable at 360 px."""

from django.urls import reverse
from playwright.sync_api import expect

from assessments.own_progress import turn_progress
from tests.assessments.rescreen_helpers import PARTNER_INDEX, answered
from tests.browser.signing import sign_in, staff_sign_in


def test_a_client_on_a_phone_reads_their_progress(
    page, live_server, therapist, couple_case, person, partner, client_user, screenshot, assert_accessible
):
    answered(person, days_ago=90, index=52.0)
    answered(person, days_ago=45, index=44.5)
    answered(person, days_ago=3, index=33.0)
    answered(partner, days_ago=4, index=PARTNER_INDEX)
    turn_progress(client=person, on=True, by=therapist)
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, client_user.username)
    expect(page.get_by_role("link", name="Your progress")).to_be_visible()
    screenshot("my-progress-home-360")
    page.get_by_role("link", name="Your progress").click()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    expect(page.locator(".progress-words")).to_contain_text("more even")
    expect(page.locator("figure.chart svg")).to_be_visible()
    # The chart fits the phone's width: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator("figure.chart svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert str(PARTNER_INDEX) not in page.content()
    assert_accessible()
    screenshot("my-progress-360")


def test_the_therapist_turns_it_on_from_the_client_record(
    page, live_server, therapist, couple_case, person, partner, screenshot, assert_accessible
):
    answered(person, days_ago=10, index=40.0)
    answered(partner, days_ago=50, index=40.0)
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, therapist)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.locator(".rescreens-due li")).to_contain_text(partner.display_name)
    screenshot("rescreens-due-1280")
    page.goto(
        live_server.url + reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code})
    )
    page.locator(".progress-switch").get_by_role("button", name="Turn on").click()
    expect(page.locator("#progress-view-state")).to_contain_text("On since")
    assert_accessible()
    screenshot("progress-switch-1280")
