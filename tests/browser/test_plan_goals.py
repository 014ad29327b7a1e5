"""Notes follow the plan in the browser: the therapist ticks a goal, sees its practice suggested, reloads and
finds it ticked; a client on a phone reads "What we are working on" and confirms it."""

from django.urls import reverse
from playwright.sync_api import expect

from clinic.plans.models import NoteGoal, PlanAcknowledgement
from tests.browser.signing import sign_in, staff_sign_in
from tests.plans.progress_helpers import MARK_A, MARK_B, make_session, signed_plan


def test_a_therapist_ticks_a_goal_sees_its_practice_suggested_and_finds_it_after_a_reload(
    page, live_server, therapist, couple_case, person, partner, screenshot, assert_accessible
):
    plan = signed_plan(couple_case, therapist, person=person, partner=partner)
    repair = plan.goals.get(statement__contains="Repair")
    session = make_session(couple_case, therapist)
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, therapist)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(live_server.url + reverse("note_page", kwargs={"code": session.code}))
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    hint = page.locator("[data-suggest-for=repair]")
    expect(hint).to_be_hidden()

    box = page.locator(f"input[name=goal_{repair.code}]")
    box.check()
    expect(hint).to_be_visible()
    expect(page.locator("#goal-suggest-line")).to_contain_text("Repair")
    expect(page.locator(f"[data-goal='{repair.code}'] .goal-unmarked")).to_be_visible()
    page.locator(f"select[name=movement_{repair.code}]").select_option("some")
    expect(page.locator(f"[data-goal='{repair.code}'] .goal-unmarked")).to_be_hidden()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    # The suggestion fills nothing in: focus and evidence stay the therapist's to set.
    assert page.get_by_label("Repair", exact=True).input_value() == ""
    assert page.get_by_label("Repair: evidence").input_value() == ""
    assert_accessible()
    screenshot("note-goals-1280")
    page.get_by_label("Repair", exact=True).select_option("2")
    expect(hint).to_be_hidden()
    expect(page.locator("#save-status")).to_contain_text("Saved at")

    page.reload()
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    expect(page.locator(f"input[name=goal_{repair.code}]")).to_be_checked()
    expect(page.locator(f"select[name=movement_{repair.code}]")).to_have_value("some")
    link = NoteGoal.objects.get(note__session=session)
    assert (link.goal_id, link.movement) == (repair.pk, "some")
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot("note-goals-360")


def test_a_client_on_a_phone_reads_their_goals_and_confirms(
    page, live_server, therapist, couple_case, person, partner, client_user, screenshot, assert_accessible
):
    plan = signed_plan(couple_case, therapist, person=person, partner=partner, ask=True)
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, client_user.username)
    expect(page.get_by_role("link", name="What we are working on")).to_be_visible()
    expect(page.get_by_text("Please read and confirm.")).to_be_visible()
    screenshot("client-home-goals-360")
    page.get_by_role("link", name="What we are working on").click()
    expect(page.get_by_role("heading", name="What we are working on")).to_be_visible()
    expect(page.get_by_text(MARK_A, exact=False).first).to_be_visible()
    assert MARK_B not in page.content()
    assert_accessible()
    screenshot("my-goals-360")
    page.get_by_role("button", name="I have read these").click()
    # An empty name is refused in words, and nothing is recorded.
    expect(page.get_by_text("Type your name")).to_be_visible()
    assert not PlanAcknowledgement.objects.exists()
    page.get_by_label("Your name").fill("Robin Hale")
    page.get_by_role("button", name="I have read these").click()
    expect(page.locator("#ack-done")).to_contain_text("You confirmed these on")
    ack = PlanAcknowledgement.objects.get()
    assert (ack.client, ack.version, ack.typed_name) == (person, plan, "Robin Hale")
    screenshot("my-goals-confirmed-360")
    page.goto(live_server.url + reverse("client_home"))
    expect(page.get_by_text("Please read and confirm.")).to_have_count(0)


def test_the_case_page_draws_each_goals_progress(
    page, live_server, therapist, couple_case, person, screenshot, assert_accessible
):
    from tests.plans.progress_helpers import signed_note, signed_review

    plan = signed_plan(couple_case, therapist, person=person)
    money, repair = plan.goals.get(statement__contains="money"), plan.goals.get(statement__contains="Repair")
    signed_note(make_session(couple_case, therapist, hours_ago=96), therapist, {money: "some", repair: "setback"})
    signed_note(make_session(couple_case, therapist, hours_ago=72), therapist, {money: "no_change"})
    signed_review(plan, therapist, progress="much")
    signed_note(make_session(couple_case, therapist, hours_ago=2), therapist, {repair: "clear"})
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, therapist)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(live_server.url + reverse("case_detail", kwargs={"code": couple_case.code}))
    section = page.locator("#goal-progress")
    expect(section.get_by_role("img", name="Goals across sessions and reviews")).to_be_visible()
    expect(section).to_contain_text("worked on in 2 signed sessions")
    assert_accessible()
    section.scroll_into_view_if_needed()
    screenshot("case-goal-progress-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot("case-goal-progress-360")
