"""The therapist reads reliable change and the gap over time in the browser, on a laptop and a phone."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.assessments.test_reliable_change_pages import DIGITAL_HIGH, MONEY_HIGH, power
from tests.browser.signing import staff_sign_in


def test_the_therapist_reads_reliable_change_and_the_gap_over_time(
    page, live_server, therapist, couple_case, person, partner, screenshot, assert_accessible
):
    power(person, 130, **MONEY_HIGH)
    power(person, 88, mon2=4)
    power(person, 2)
    power(partner, 128)
    power(partner, 86, dig1=4)
    power(partner, 1, **DIGITAL_HIGH)
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, therapist)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    pages = {
        "record": reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code}),
        "comparison": reverse("comparison", kwargs={"case_code": couple_case.code}),
        "case": reverse("case_detail", kwargs={"code": couple_case.code}),
    }
    for name, url in pages.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + url)
        section = page.locator("#reliable-change, #gap-over-time").first
        expect(section).to_be_visible()
        assert_accessible()
        section.scroll_into_view_if_needed()
        screenshot(f"reliable-{name}-1280")
        page.set_viewport_size({"width": 360, "height": 740})
        screenshot(f"reliable-{name}-360")
    page.goto(live_server.url + pages["record"])
    expect(page.locator("#reliable-change")).to_contain_text("Reliably better on Money and resources")
    expect(page.locator("#reliable-change")).not_to_contain_text("Reliably worse on Digital control")
