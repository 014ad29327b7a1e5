from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from clinic.notes.models import PsychotherapyNote, SessionNote, TherapySession


@pytest.fixture
def session(couple_case, therapist):
    return TherapySession.objects.create(
        case=couple_case, starts_at=timezone.now() - timedelta(hours=3), created_by=therapist
    )


def url(name, session):
    return reverse(name, kwargs={"code": session.code})


def editor_data(version, **extra):
    data = {
        "format": "soap",
        "version": version,
        "c_subjective": "Sam said decisions about money feel one-sided.",
        "c_plan": "Name the pattern again next week.",
        "next_steps": "Practise a pause before replying.",
        "focus_naming_power": "2",
        "evidence_naming_power": "Named who decides spending without blame.",
    }
    data.update(extra)
    return data


def save_and_sign(c, session, note, **extra) -> None:
    """Save and sign, then confirm on the page that asks (the version it showed)."""
    c.post(url("note_save", session), editor_data(note.version, go="sign", **extra))
    note.refresh_from_db()
    c.post(url("note_sign", session), {"version": note.version})
    note.refresh_from_db()


def open_note(c, session) -> SessionNote:
    assert c.get(url("note_page", session)).status_code == 200
    return SessionNote.objects.get(session=session)


def test_a_therapist_adds_a_session_and_lands_on_its_note(as_user, therapist, couple_case):
    c = as_user(therapist)
    response = c.post(
        reverse("session_new", kwargs={"case_code": couple_case.code}),
        {
            "starts_at": "2026-11-20T14:00",
            "duration_minutes": "50",
            "format": "conjoint",
            "modality": "in_person",
            "attendance": "attended",
        },
    )
    session = TherapySession.objects.get()
    assert response.url == url("note_page", session)
    assert (session.case, session.duration_minutes, session.created_by) == (couple_case, 50, therapist)
    assert AuditEvent.objects.filter(action=Action.SESSION_CREATED).exists()


def test_an_individual_session_in_a_couple_needs_the_partner(as_user, therapist, couple_case):
    response = as_user(therapist).post(
        reverse("session_new", kwargs={"case_code": couple_case.code}),
        {
            "starts_at": "2026-11-20T14:00",
            "duration_minutes": "50",
            "format": "individual",
            "modality": "in_person",
            "attendance": "attended",
        },
    )
    assert "Choose which partner" in response.content.decode()
    assert TherapySession.objects.count() == 0


def test_the_editor_saves_a_draft_with_tags(as_user, therapist, session):
    c = as_user(therapist)
    note = open_note(c, session)
    response = c.post(url("note_save", session), editor_data(note.version))
    assert response.url == url("note_page", session)
    note.refresh_from_db()
    assert note.content["subjective"].startswith("Sam said")
    assert [(t.practice, t.focus) for t in note.tags.all()] == [("naming_power", 2)]
    assert note.version == 2
    assert AuditEvent.objects.filter(action=Action.NOTE_SAVED).count() == 1
    assert AuditEvent.objects.filter(action=Action.NOTE_VIEWED).count() >= 1


def test_a_tag_without_evidence_is_kept_and_signing_says_what_it_needs(as_user, therapist, session):
    c = as_user(therapist)
    note = open_note(c, session)
    response = c.post(url("note_save", session), editor_data(note.version, evidence_naming_power=""), follow=True)
    note.refresh_from_db()
    assert note.content["subjective"] == "Sam said decisions about money feel one-sided."
    assert [(t.practice, t.focus, t.evidence) for t in note.tags.all()] == [("naming_power", 2, "")]
    body = response.content.decode()
    assert "Before signing:" in body and "Add a line of evidence for Naming power." in body


def test_autosave_keeps_the_text_while_a_tag_lacks_evidence(as_user, therapist, session):
    c = as_user(therapist)
    note = open_note(c, session)
    data = editor_data(note.version, evidence_naming_power="", next_steps="Call about the pause.")
    response = c.post(url("note_autosave", session), data)
    assert response.status_code == 200
    assert response.json()["sign_needs"] == ["Add a line of evidence for Naming power."]
    note.refresh_from_db()
    assert note.content["subjective"] == "Sam said decisions about money feel one-sided."
    assert note.next_steps == "Call about the pause." and note.tags.get().focus == 2
    page = c.get(url("note_page", session)).content.decode()
    assert "Sam said decisions about money feel one-sided." in page and "Call about the pause." in page


def test_autosave_with_a_new_format_carries_every_word(as_user, therapist, session):
    c = as_user(therapist)
    note = open_note(c, session)
    data = editor_data(note.version, format="dap", c_objective="Both sat apart.")
    response = c.post(url("note_autosave", session), data)
    assert response.json()["format"] == "dap"
    note.refresh_from_db()
    assert note.format == "dap" and note.content["plan"] == "Name the pattern again next week."
    assert "Sam said decisions" in note.content["data"] and "Both sat apart." in note.content["data"]
    page = c.get(url("note_page", session)).content.decode()
    assert 'name="c_data"' in page and 'name="c_subjective"' not in page


def test_autosave_on_a_signed_note_is_refused_and_changes_nothing(as_user, therapist, session):
    c = as_user(therapist)
    note = open_note(c, session)
    c.post(url("note_save", session), editor_data(note.version))
    note.refresh_from_db()
    c.post(url("note_sign", session), {"version": note.version})
    note.refresh_from_db()
    stored = (note.content, note.content_hash, note.version)
    response = c.post(url("note_autosave", session), editor_data(note.version, c_subjective="changed later"))
    assert response.status_code == 409
    note.refresh_from_db()
    assert (note.content, note.content_hash, note.version) == stored and note.verify()


def test_a_stale_save_keeps_both_texts_and_overwrites_nothing(as_user, therapist, session):
    c = as_user(therapist)
    note = open_note(c, session)
    c.post(url("note_save", session), editor_data(note.version, c_subjective="Saved in the first tab."))
    response = c.post(url("note_save", session), editor_data(note.version, c_subjective="Typed in the second tab."))
    body = response.content.decode()
    assert response.status_code == 409
    assert "saved somewhere else since you opened it" in body
    assert "Saved in the first tab." in body and "Typed in the second tab." in body
    note.refresh_from_db()
    assert note.content["subjective"] == "Saved in the first tab."
    retry = c.post(url("note_save", session), editor_data(note.version, c_subjective="Merged text."))
    assert retry.status_code == 302
    note.refresh_from_db()
    assert note.content["subjective"] == "Merged text."


def sign_through_confirmation(c, session, note) -> str:
    """Save and sign: the editor asks once on a page that lists what will be locked; confirming signs."""
    asked = c.post(url("note_save", session), editor_data(note.version, go="sign"))
    assert asked.url == url("note_sign", session)
    note.refresh_from_db()
    assert not note.is_signed
    page = c.get(asked.url).content.decode()
    assert "cannot be changed afterwards; only addenda" in page
    assert "Sam said decisions about money feel one-sided." in page and "Named who decides spending" in page
    return page


def test_signing_asks_once_then_locks_the_note_and_offers_only_addenda(as_user, therapist, session):
    c = as_user(therapist)
    note = open_note(c, session)
    sign_through_confirmation(c, session, note)
    note.refresh_from_db()
    c.post(url("note_sign", session), {"version": note.version})
    note.refresh_from_db()
    assert note.is_signed and note.verify()
    page = c.get(url("note_page", session)).content.decode()
    assert "This note is locked" in page and 'id="note-form"' not in page
    late = c.post(url("note_save", session), editor_data(note.version, c_subjective="changed"), follow=True)
    assert "add an addendum instead" in late.content.decode()
    c.post(url("note_addendum", session), {"text": "Client emailed: the pause helped."})
    note.refresh_from_db()
    assert note.content["subjective"].startswith("Sam said") and note.verify()
    assert note.addenda.get().text == "Client emailed: the pause helped."
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {Action.NOTE_SIGNED, Action.ADDENDUM_ADDED} <= actions


def test_confirming_a_version_that_changed_since_signs_nothing(as_user, therapist, session):
    c = as_user(therapist)
    note = open_note(c, session)
    sign_through_confirmation(c, session, note)
    note.refresh_from_db()
    confirmed = note.version
    c.post(url("note_autosave", session), editor_data(note.version, c_subjective="Typed in another tab."))
    response = c.post(url("note_sign", session), {"version": confirmed}, follow=True)
    assert "The note changed since you confirmed" in response.content.decode()
    note.refresh_from_db()
    assert not note.is_signed and note.content["subjective"] == "Typed in another tab."


def test_signing_without_a_practice_is_refused_but_the_draft_kept(as_user, therapist, session):
    c = as_user(therapist)
    note = open_note(c, session)
    data = editor_data(note.version, go="sign", focus_naming_power="", evidence_naming_power="")
    response = c.post(url("note_save", session), data, follow=True)
    assert "Not ready to sign:" in response.content.decode()
    assert "Tag at least one of the four practices" in response.content.decode()
    note.refresh_from_db()
    refused = c.post(url("note_sign", session), {"version": note.version}, follow=True)
    assert "Not signed: Tag at least one" in refused.content.decode()
    note.refresh_from_db()
    assert not note.is_signed and note.content["subjective"].startswith("Sam said")


def test_private_notes_are_for_their_author_only(as_user, therapist, supervisor, session):
    c = as_user(therapist)
    open_note(c, session)
    c.post(url("private_note", session), {"text": "My own reaction: impatience 4c1d."})
    assert PsychotherapyNote.objects.get().author == therapist
    assert "impatience 4c1d" in c.get(url("note_page", session)).content.decode()
    event = AuditEvent.objects.get(action=Action.PRIVATE_NOTE_SAVED)
    assert "4c1d" not in str(event.detail)


def test_a_supervisor_cosigns_or_returns_once(as_user, therapist, supervisor, colleague, session):
    therapist.needs_cosign, therapist.supervisor = True, supervisor
    therapist.save()
    c = as_user(therapist)
    note = open_note(c, session)
    c.post(url("private_note", session), {"text": "Private 9z9z"})
    save_and_sign(c, session, note)
    assert as_user(colleague).get(url("note_page", session)).status_code == 404
    sup = as_user(supervisor)
    page = sup.get(url("note_page", session)).content.decode()
    assert "awaiting co-sign" in page and "Private 9z9z" not in page
    sup.post(url("note_return", session), {"comment": "Add what you agreed about safety."})
    note.refresh_from_db()
    assert note.status == "draft" and note.return_comment == "Add what you agreed about safety."
    c = as_user(therapist)
    save_and_sign(c, session, note)
    sup = as_user(supervisor)
    sup.post(url("note_cosign", session))
    note.refresh_from_db()
    assert note.cosigned_by == supervisor


@pytest.mark.parametrize("who", ["colleague", "admin_user", "client_user", "partner_user", "supervisor"])
def test_outsiders_get_404_on_every_note_url(request, as_user, therapist, session, who):
    open_note(as_user(therapist), session)
    c = as_user(request.getfixturevalue(who))
    for name in ("note_page",):
        assert c.get(url(name, session)).status_code == 404
    for name in ("note_save", "note_addendum", "private_note", "note_cosign", "note_return"):
        assert c.post(url(name, session), {"text": "x", "comment": "x"}).status_code == 404
    assert c.get(reverse("session_new", kwargs={"case_code": session.case.code})).status_code == 404
    note = SessionNote.objects.get()
    assert note.version == 1 and not note.is_signed and not PsychotherapyNote.objects.exists()


def test_note_actions_need_post(as_user, therapist, session):
    c = as_user(therapist)
    open_note(c, session)
    for name in ("note_save", "note_addendum", "private_note"):
        assert c.get(url(name, session)).status_code == 405


def test_the_case_page_lists_sessions_with_their_practices(as_user, therapist, session, couple_case):
    c = as_user(therapist)
    note = open_note(c, session)
    save_and_sign(c, session, note)
    body = c.get(reverse("case_detail", kwargs={"code": couple_case.code})).content.decode()
    assert "Naming power (2)" in body and "Signed" in body


def test_switching_format_loses_no_text(as_user, therapist, session):
    c = as_user(therapist)
    note = open_note(c, session)
    c.post(url("note_save", session), editor_data(note.version, c_objective="Sat apart; Sam spoke first."))
    note.refresh_from_db()
    c.post(
        url("note_save", session), editor_data(note.version, format="dap", c_objective="Sat apart; Sam spoke first.")
    )
    note.refresh_from_db()
    assert note.format == "dap"
    assert set(note.content) == {"data", "assessment", "plan"}
    assert "Subjective: Sam said decisions about money feel one-sided." in note.content["data"]
    assert "Objective: Sat apart; Sam spoke first." in note.content["data"]
    assert note.content["plan"] == "Name the pattern again next week."
    page = c.get(url("note_page", session)).content.decode()
    assert 'name="c_data"' in page and 'name="c_subjective"' not in page


def test_autosave_saves_drafts_and_refuses_to_overwrite_a_newer_one(as_user, therapist, session):
    c = as_user(therapist)
    note = open_note(c, session)
    saved = c.post(url("note_autosave", session), editor_data(note.version), HTTP_ACCEPT="application/json")
    assert saved.status_code == 200 and saved.json()["version"] == 2
    stale = c.post(
        url("note_autosave", session), editor_data(1, c_subjective="old tab"), HTTP_ACCEPT="application/json"
    )
    assert stale.status_code == 409 and stale.json()["error"] == "conflict"
    note.refresh_from_db()
    assert note.content["subjective"].startswith("Sam said") and note.version == 2
