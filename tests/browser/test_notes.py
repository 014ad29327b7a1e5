"""A therapist writes, tags and signs a SOAP note with the keyboard, then adds an addendum."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from clinic.notes.models import SessionNote, TherapySession
from tests.browser.signing import staff_sign_in


def test_a_therapist_writes_and_signs_a_note_by_keyboard(
    page, live_server, therapist, couple_case, screenshot, assert_accessible
):
    session = TherapySession.objects.create(
        case=couple_case, starts_at=timezone.now() - timedelta(hours=2), created_by=therapist
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_sign_in(page, live_server.url, therapist)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(live_server.url + reverse("note_page", kwargs={"code": session.code}))
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    assert_accessible()

    # Keyboard only: focus the first field, then type and Tab through the form.
    page.get_by_label("Subjective").focus()
    page.keyboard.type("Sam said money decisions feel one-sided.")
    page.keyboard.press("Tab")
    page.keyboard.type("Sat apart at first; turned toward each other later.")
    page.keyboard.press("Tab")
    page.keyboard.type("Pattern named without blame.")
    page.keyboard.press("Tab")
    page.keyboard.type("Name it again next week.")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.get_by_label("Naming power", exact=True).focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Named who decides spending.")
    page.get_by_label("Repair", exact=True).select_option("1")
    page.get_by_label("Repair: evidence").fill("Sam acknowledged the impact of a remark.")
    screenshot("note-editor-1280")
    page.get_by_role("button", name="Save and sign").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("This note is locked")).to_be_visible()
    note = SessionNote.objects.get(session=session)
    assert note.is_signed and note.verify()
    assert sorted(note.tags.values_list("practice", "focus")) == [("naming_power", 2), ("repair", 1)]
    assert note.content["subjective"] == "Sam said money decisions feel one-sided."
    expect(page.locator("#note-form")).to_have_count(0)

    page.get_by_label("Text").fill("Client called next day: the pause helped.")
    page.get_by_role("button", name="Add and sign addendum").click()
    expect(page.get_by_text("Client called next day: the pause helped.")).to_be_visible()
    assert_accessible()
    screenshot("note-signed-1280")
    note.refresh_from_db()
    assert note.verify()
