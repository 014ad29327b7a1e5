"""A client answers the questionnaires; an urgent answer brings the safety page and the therapist sees the flag."""

import re

from playwright.sync_api import expect

import assessments.catalogue  # noqa: F401
from assessments.framework import registry
from assessments.screenings import assign
from clinic.clients.models import Client
from tests.browser.signing import sign_in
from tests.factories import current_code, make_device


def answer_all(page, instrument, choose) -> None:
    for item in instrument.items:
        page.locator(f"#q-{item.id}").get_by_label(choose(item), exact=True).check()


def test_a_client_answers_both_questionnaires_and_the_therapist_sees_the_flag(
    page, live_server, therapist, client_user, couple_case, screenshot, assert_accessible
):
    person = Client.objects.get(user=client_user)
    power = assign(client=person, key="power")
    assign(client=person, key="safety")
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, "clientone")
    expect(page.get_by_role("link", name="Questions about your relationship")).to_be_visible()
    screenshot("client-home-questionnaires-360")
    page.get_by_role("link", name="Questions about your relationship").click()
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    assert_accessible()

    # Answer a few, send too early: the missing ones are listed and the chosen ones kept.
    page.locator("#q-dec1").get_by_label("My partner", exact=True).check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("#error-summary")).to_contain_text("26 questions still need an answer")
    screenshot("questions-missing-top-360", full_page=False)
    expect(page.locator("#q-dec1").get_by_label("My partner", exact=True)).to_be_checked()
    screenshot("questions-missing-360")

    instrument = registry.get("power", 1)
    answer_all(page, instrument, lambda item: "Shared equally" if item.scale == "who" else "Sometimes")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Your answers have been sent to your therapist")).to_be_visible()
    power.refresh_from_db()
    assert power.is_submitted

    # The safety questionnaire, with one urgent answer.
    page.get_by_role("link", name="A short check-in").click()
    safety = registry.get("safety", 1)
    answer_all(
        page, safety, lambda item: "Yes" if item.id == "dg_physical" else ("No" if item.scale == "yes_no" else "Rarely")
    )
    assert_accessible()
    screenshot("safety-questions-360")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Help and support")).to_be_visible()
    expect(page.get_by_text("below are people you can talk to")).to_be_visible()
    assert_accessible()
    screenshot("safety-page-after-urgent-360")

    # The therapist, on another device, sees the urgent flag first on the dashboard.
    staff = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    device = make_device(therapist)
    sign_in(desk, live_server.url, "owner")
    desk.get_by_label("Code").fill(current_code(device))
    desk.get_by_role("button", name="Continue").click()
    expect(desk.get_by_role("heading", name="Risk flags")).to_be_visible()
    expect(desk.locator("li", has_text=person.display_name).get_by_text("Urgent")).to_be_visible()
    screenshot("dashboard-urgent-flag-1280", on=desk)
    desk.get_by_role("link", name="Review").click()
    expect(desk.get_by_role("heading", name=person.full_name)).to_be_visible()
    desk.get_by_label(re.compile("Acknowledge")).fill("Called on the safe number; individual session booked.")
    desk.get_by_role("button", name="Acknowledge").click()
    expect(desk.get_by_text("Flag acknowledged.")).to_be_visible()
    screenshot("client-record-1280", on=desk)
    staff.close()
