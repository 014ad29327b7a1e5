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

    # Asked once, with what will be locked; confirmed from the keyboard.
    expect(page.get_by_role("heading", name="Sign this note?")).to_be_visible()
    expect(page.get_by_text("cannot be changed afterwards; only addenda")).to_be_visible()
    assert not SessionNote.objects.get(session=session).is_signed
    screenshot("note-sign-confirm-1280")
    page.get_by_role("button", name="Sign and lock").focus()
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


def test_switching_formats_twice_and_reloading_keeps_every_word(page, live_server, therapist, couple_case, screenshot):
    session = TherapySession.objects.create(
        case=couple_case, starts_at=timezone.now() - timedelta(hours=2), created_by=therapist
    )
    staff_sign_in(page, live_server.url, therapist)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(live_server.url + reverse("note_page", kwargs={"code": session.code}))
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    words = {
        "Subjective": "alpha-subjective",
        "Objective": "bravo-objective",
        "Assessment": "charlie-assessment",
        "Plan": "delta-plan",
        "Next steps (shown beside the next session's note)": "echo-next",
    }
    for label, word in words.items():
        page.get_by_label(label).fill(word)
    # A focus without evidence yet: the draft is still saved, and signing's need is said plainly.
    page.get_by_label("Naming power", exact=True).select_option("2")
    expect(page.locator("#sign-needs")).to_contain_text("Add a line of evidence for Naming power.")

    page.get_by_label("Format").select_option("dap")
    expect(page.get_by_label("Data")).to_be_visible()
    expect(page.get_by_label("Subjective")).to_have_count(0)
    screenshot("note-editor-dap")
    page.get_by_label("Format").select_option("soap")
    expect(page.get_by_label("Subjective")).to_be_visible()
    expect(page.get_by_label("Data")).to_have_count(0)
    page.reload()

    # Every word is back under its own heading.
    for label, word in words.items():
        expect(page.get_by_label(label)).to_have_value(word)
    expect(page.get_by_label("Naming power", exact=True)).to_have_value("2")
    expect(page.locator("#sign-needs")).to_be_visible()
    screenshot("note-editor-after-switches")
    note = SessionNote.objects.get(session=session)
    stored = " ".join([*note.content.values(), note.next_steps])
    assert all(word in stored for word in words.values())
