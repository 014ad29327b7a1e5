"""A client, on a phone, opens something to try from their home, checks in, loses the page mid-sentence and
finds every word; then the unsafe path: "made things worse" shows the help page and the therapist the flag."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import RiskFlag
from clinic.plans.exercises import assign
from clinic.plans.models import CheckIn
from tests.browser.signing import sign_in, staff_sign_in
from tests.plans.practice_helpers import an_exercise

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 900}


def test_a_client_checks_in_without_losing_a_word_and_the_unsafe_path_reaches_the_therapist(
    page, live_server, therapist, couple_case, person, partner, client_user, screenshot, assert_accessible
):
    base = live_server.url
    exercise = an_exercise(title="A pause before you reply", suggested_length="Whenever it comes up, for two weeks")
    today = timezone.localdate()
    (assignment,) = assign(
        case=couple_case,
        clients=[person],
        exercise=exercise,
        starts_on=today,
        ends_on=today + timedelta(days=7),
        by=therapist,
        personal_note="Start with the small moments, at home.",
    )
    assign(case=couple_case, clients=[partner], exercise=exercise, starts_on=today, ends_on=today, by=therapist)

    # From the home: a neutral title, then the exercise itself.
    page.set_viewport_size(PHONE)
    sign_in(page, base, client_user.username)
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    expect(page.get_by_role("link", name="Something to try this week")).to_have_count(1)
    screenshot("between-home-360")
    page.get_by_role("link", name="Something to try this week").click()
    expect(page.get_by_role("heading", name="A pause before you reply")).to_be_visible()
    expect(page.get_by_text("count to five")).to_be_visible()
    expect(page.get_by_text("Start with the small moments, at home.")).to_be_visible()
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    assert page.title() == "Fulcrum"
    assert_accessible()
    screenshot("between-exercise-360")

    # Start a check-in, let it save, type more and close the page mid-sentence.
    page.get_by_label("Partly").check()
    lines = page.get_by_label("A few lines, if you like")
    lines.press_sequentially("Paused twice on Monday.")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    lines.press_sequentially(" Forgot on Wednesd")
    page.close(run_before_unload=True)

    page = page.context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(base + reverse("client_home"))
    page.get_by_role("link", name="Something to try this week").click()
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    expect(page.get_by_label("A few lines, if you like")).to_have_value("Paused twice on Monday. Forgot on Wednesd")
    expect(page.get_by_label("Partly")).to_be_checked()
    lines = page.get_by_label("A few lines, if you like")
    lines.click()
    lines.press("Control+End")
    lines.press_sequentially("ay.")
    screenshot("between-checkin-360", on=page)

    # Send: the client sees what they sent, and may start another.
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your check-in has reached your therapist")).to_be_visible()
    expect(page.locator(".sent-checkins")).to_contain_text("Paused twice on Monday. Forgot on Wednesday.")
    expect(page.get_by_role("heading", name="Another check-in")).to_be_visible()
    expect(page.get_by_label("A few lines, if you like")).to_have_value("")
    sent = CheckIn.objects.get(assignment=assignment, sent_at__isnull=False)
    assert (sent.tried, sent.text, sent.made_things_worse) == (
        "partly",
        "Paused twice on Monday. Forgot on Wednesday.",
        False,
    )
    assert_accessible(on=page)
    screenshot("between-sent-360", on=page)

    # The unsafe path: "made things worse" → the help page, calm and the practice's own.
    page.get_by_label("Not yet").check()
    page.get_by_label("A few lines, if you like").fill("It started an argument.")
    page.get_by_label("This made things worse or did not feel safe to do").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Help and support")).to_be_visible()
    expect(page.get_by_text("Thank you for telling us")).to_be_visible()
    expect(page.locator(".safety-page a[href^='tel:']").first).to_be_visible()
    screenshot("between-help-360", on=page)
    flag = RiskFlag.objects.get(client=person)
    assert flag.severity == RiskFlag.Severity.ELEVATED and flag.exercise_checkin.text == "It started an argument."

    # The therapist's dashboard shows the flag; the case page shows both check-ins, the unsafe one marked.
    staff = page.context.browser.new_context(viewport=LAPTOP)
    desk = staff.new_page()
    staff_sign_in(desk, base, therapist)
    expect(desk.get_by_role("heading", name="Dashboard")).to_be_visible()
    flags = desk.locator("section[aria-labelledby=flags-h]")
    expect(flags).to_contain_text("Elevated")
    expect(flags).to_contain_text(person.display_name)
    screenshot("between-dashboard-1280", on=desk)
    desk.goto(base + reverse("case_detail", kwargs={"code": couple_case.code}))
    practice = desk.locator("section.case-practice")
    expect(practice).to_contain_text("Paused twice on Monday. Forgot on Wednesday.")
    expect(practice.locator(".checkin-worse")).to_contain_text("It started an argument.")
    practice.scroll_into_view_if_needed()
    screenshot("between-case-1280", on=desk)
    desk.set_viewport_size(PHONE)
    screenshot("between-case-360", on=desk)
    desk.goto(base + reverse("client_record", kwargs={"case_code": couple_case.code, "client_code": person.code}))
    expect(desk.get_by_text("by a check-in on an exercise")).to_be_visible()
    desk.set_viewport_size(LAPTOP)
    desk.goto(base + reverse("assignment_new", kwargs={"code": couple_case.code}))
    expect(desk.get_by_role("heading", name="Assign an exercise")).to_be_visible()
    assert_accessible(on=desk)
    screenshot("between-assign-1280", on=desk)
    desk.goto(base + reverse("exercise_library"))
    expect(desk.get_by_role("heading", name="Practice library")).to_be_visible()
    assert_accessible(on=desk)
    screenshot("between-library-1280", on=desk)
    staff.close()
