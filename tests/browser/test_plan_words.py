"""In Chromium: a goal both partners read says so; typing one partner's name beside a score warns as it saves and
the preview follows; signing asks to confirm the words, and they reach the client's page as typed."""

import time

from django.urls import reverse
from playwright.sync_api import expect

from clinic.plans.models import Goal
from clinic.plans.planning import start_plan
from tests.browser.signing import sign_in, staff_sign_in

NAMING = "Both can name the last money decision; Jo's money score falls"


def test_the_editor_warns_as_it_saves_and_signing_asks_to_confirm(
    page, live_server, therapist, couple_case, person, partner, screenshot, assert_accessible
):
    person.full_name, person.preferred_name = "Jordan Avery", "Jo"
    person.save()
    partner.full_name, partner.preferred_name = "Sam Avery", "Sam"
    partner.save()
    draft = start_plan(case=couple_case, by=therapist)
    goal = Goal.objects.create(
        version=draft, practice="naming_power", statement="Name who decides about money", progress_shows="Both say so"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, therapist)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(live_server.url + reverse("plan_edit", kwargs={"code": couple_case.code}))
    editor = page.locator(f"#goal-{goal.code}")
    shows = editor.get_by_label("How progress will show")
    expect(shows).to_have_accessible_description(
        "Both partners read this (Jo and Sam), word for word, once the plan is signed."
    )
    expect(editor.locator(".word-warning")).to_have_count(0)

    shows.fill(NAMING)
    warning = page.locator(f"#goal-warnings-{goal.code} .word-warning")
    expect(warning).to_contain_text("It names Jo beside “score”, and both partners read it")
    expect(page.locator("#word-warnings")).to_contain_text("Words to check before signing")
    editor.get_by_text("Preview: the goal as Jo and Sam will read it").click()
    expect(page.locator(f"#goal-preview-{goal.code} li.client-goal")).to_contain_text(f"How we will notice: {NAMING}")
    assert_accessible()
    editor.scroll_into_view_if_needed()
    screenshot("plan-words-warning-1280", full_page=False)
    deadline = time.monotonic() + 5
    while Goal.objects.get(pk=goal.pk).progress_shows != NAMING and time.monotonic() < deadline:
        time.sleep(0.1)
    assert Goal.objects.get(pk=goal.pk).progress_shows == NAMING  # saved as typed

    page.get_by_role("button", name="Save and sign").click()
    expect(page.locator("#sign-word-warnings")).to_contain_text("It names Jo beside “score”")
    page.get_by_role("button", name="Sign and lock").click()
    expect(page.get_by_text("Not signed: Check the words clients will read")).to_be_visible()
    page.get_by_label("I have read these; the clients may read these words as they are.").check()
    page.get_by_role("button", name="Sign and lock").click()
    expect(page.get_by_text("Version 1 is now the plan in force")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server.url, partner.user.username)
    page.goto(live_server.url + reverse("my_goals"))
    expect(page.locator("li.client-goal")).to_contain_text(f"How we will notice: {NAMING}")
