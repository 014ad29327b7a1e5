"""A therapist writes a plan with a goal under each practice, reloads mid-typing, finds every word, and signs it."""

import contextlib
import time

from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from clinic.plans.models import PlanVersion
from tests.browser.signing import staff_sign_in
from tests.factories import make_warning_sign

PRACTICES = {
    "naming_power": ("Name who decides about money, without blame", "Both describe one money decision"),
    "tolerating_disagreement": ("Stay in the room through one disagreement", "A disagreement ends without leaving"),
    "restoring_agency": ("Each chooses one weekend plan alone", "Two weekends chosen by each"),
    "repair": ("Repair within a day after an argument", "A repair talk within 24 hours"),
}


def wait_for_saved(case, words: list[str], seconds: float = 8) -> None:
    """The page's last save on leaving is sent as the page goes; wait until the server has it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        draft = PlanVersion.objects.get(plan__case=case, status="draft")
        stored = [g.statement for g in draft.goals.all()] + [g.progress_shows for g in draft.goals.all()]
        if all(w in stored for w in words):
            return
        time.sleep(0.1)
    raise AssertionError("the words typed before reloading never reached the server")


def test_a_therapist_writes_a_plan_reloads_mid_typing_and_signs_it(
    page, live_server, therapist, couple_case, screenshot, assert_accessible
):
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, therapist)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(live_server.url + reverse("case_detail", kwargs={"code": couple_case.code}))
    page.get_by_role("link", name="Write a treatment plan").click()
    expect(page.get_by_role("heading", name="Treatment plan: draft")).to_be_visible()
    page.get_by_label("Concerns, in the clients' own words").fill("We argue about money; one of us decides.")

    # "Add a goal" saves the page first, then comes back with an empty goal to write.
    for practice in PRACTICES:
        page.locator(f'[data-practice="{practice}"] button.add-goal').first.click()
        expect(page.locator(f'[data-practice="{practice}"] .goal-editor')).to_have_count(1)
    expect(page.get_by_label("Concerns, in the clients' own words")).to_have_value(
        "We argue about money; one of us decides."
    )
    assert_accessible()

    typed = []
    for practice, (statement, shows) in PRACTICES.items():
        goal = page.locator(f'[data-practice="{practice}"] .goal-editor').first
        goal.get_by_label("Goal", exact=True).fill(statement)
        goal.get_by_label("How progress will show").fill(shows)
        typed += [statement, shows]
    first = page.locator('[data-practice="naming_power"] .goal-editor').first
    first.get_by_label("Questionnaire domain (optional)").select_option("power:money")
    first.get_by_label("Score should be").select_option("below")
    first.get_by_label("Target score (0 to 100)").fill("50")
    # Mid-typing: the last words have not been saved by the pause timer yet.
    last = page.locator('[data-practice="repair"] .goal-editor').first.get_by_label("How progress will show")
    last.press_sequentially(" and both say so")
    typed[-1] += " and both say so"
    page.reload()
    wait_for_saved(couple_case, typed)
    page.reload()
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    for practice, (statement, _) in PRACTICES.items():
        goal = page.locator(f'[data-practice="{practice}"] .goal-editor').first
        expect(goal.get_by_label("Goal", exact=True)).to_have_value(statement)
    expect(last).to_have_value(typed[-1])
    expect(first.get_by_label("Target score (0 to 100)")).to_have_value("50")
    expect(page.locator("#sign-needs")).to_be_hidden()
    screenshot("plan-editor-1280")

    page.get_by_role("button", name="Save and sign").click()
    expect(page.get_by_role("heading", name="Sign version 1 of the plan?")).to_be_visible()
    expect(page.locator("#sign-warning")).to_contain_text("4 goals")
    screenshot("plan-sign-confirm-1280")
    page.get_by_role("button", name="Sign and lock").click()
    expect(page.get_by_text("Version 1 is now the plan in force")).to_be_visible()
    expect(page.locator(".hash-ok")).to_be_visible()
    assert_accessible()
    screenshot("plan-signed-1280")
    version = PlanVersion.objects.get(plan__case=couple_case)
    assert version.is_signed and version.verify()
    assert sorted(version.goals.values_list("practice", flat=True)) == sorted(PRACTICES)
    assert version.goals.get(practice="naming_power").measure_target == 50
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    expect(page.get_by_role("heading", name="Treatment plan", exact=True)).to_be_visible()
    screenshot("plan-signed-360")

    # A warning sign recorded since: the review's editor says why its safety section is now required.
    make_warning_sign(couple_case.clients.first(), by=therapist, description="Shouting.")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Start a review").click()
    expect(page.get_by_role("heading", name="Review of the plan: version 2")).to_be_visible()
    expect(page.locator("#safety-required")).to_contain_text("A warning sign of abuse is recorded")
    expect(page.get_by_label("Progress since the last version")).to_have_count(4)
    assert_accessible()
    screenshot("plan-review-editor-1280")


def test_a_button_pressed_while_a_save_is_on_its_way_is_not_taken_for_another_tab(
    page, live_server, therapist, couple_case
):
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, therapist)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(live_server.url + reverse("plan_edit", kwargs={"code": couple_case.code}))
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    # A slow network: the save made after the pause is held on its way.
    held = []
    page.route("**/plan/autosave/", lambda route: held.append(route))
    page.get_by_label("Concerns, in the clients' own words").fill("Money decisions rest with one of us.")
    expect(page.locator("#save-status")).to_have_text("Saving…", timeout=10000)
    assert held, "the pause did not send a save"
    # The server has the save (the draft's revision moves on) but its answer is still on the way back...
    answer = held[0].fetch()
    # ...when the therapist presses "Add a goal".
    page.locator('[data-practice="repair"] button.add-goal').first.click()
    with contextlib.suppress(PlaywrightError):  # the page may have gone already: the failure asserted below
        held[0].fulfill(response=answer)
    expect(page.locator('[data-practice="repair"] .goal-editor')).to_have_count(1)
    expect(page.get_by_label("Concerns, in the clients' own words")).to_have_value(
        "Money decisions rest with one of us."
    )
    draft = PlanVersion.objects.get(plan__case=couple_case)
    assert (
        draft.concerns == "Money decisions rest with one of us." and draft.goals.filter(practice="repair").count() == 1
    )
