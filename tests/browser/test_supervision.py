"""A supervisor opens a supervisee's note from the dashboard, returns it, and the author finds the comment."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.signing import staff_sign_in
from tests.notes.test_supervision_scope import signed_note


def test_a_supervisor_returns_a_note_and_the_author_finds_the_comment(
    page, browser, live_server, therapist, supervisor, couple_case, screenshot, assert_accessible
):
    therapist.needs_cosign, therapist.supervisor = True, supervisor
    therapist.save(update_fields=["needs_cosign", "supervisor"])
    note = signed_note(couple_case, therapist)
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, supervisor)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    screenshot("supervision-dashboard")
    page.get_by_role("link", name=couple_case.label).click()
    expect(page.get_by_role("button", name="Co-sign")).to_be_visible()
    page.get_by_label("Or return it to the author").fill("Add what you agreed about safety.")
    page.get_by_role("button", name="Return to author").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_text("to its author with your comment")).to_be_visible()
    assert "safety" not in page.url
    screenshot("supervision-returned-confirmation")
    assert_accessible()

    page.goto(live_server.url + reverse("case_detail", kwargs={"code": couple_case.code}))
    expect(page.get_by_text("read-only")).to_be_visible()
    screenshot("supervision-case-read-only")

    author = browser.new_page()
    author.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(author, live_server.url, therapist)
    expect(author.get_by_role("heading", name="Returned to you by your supervisor")).to_be_visible()
    expect(author.get_by_text("Add what you agreed about safety.")).to_be_visible()
    screenshot("supervision-author-dashboard", on=author)
    author.locator(".returned-notes a").first.click()
    expect(author).to_have_url(live_server.url + reverse("note_page", kwargs={"code": note.session.code}))
    author.close()
