from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.notes.models import (
    Addendum,
    NoteLocked,
    PracticeTag,
    PsychotherapyNote,
    SessionLocked,
    SessionNote,
    SignRefused,
    StaleDraft,
    TherapySession,
)
from tests.factories import make_user

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the database triggers are PostgreSQL's")


@pytest.fixture
def session(couple_case, therapist):
    return TherapySession.objects.create(
        case=couple_case, starts_at=timezone.now() - timedelta(hours=2), created_by=therapist
    )


@pytest.fixture
def note(session, therapist):
    return SessionNote.objects.create(session=session, author=therapist)


def draft(note, version=None, **content):
    note.save_draft(
        content=content or {"subjective": "Both describe a week of arguments about money."},
        format="soap",
        safety_concern=False,
        next_steps="Practise the pause.",
        expected_version=note.version if version is None else version,
    )


def tag(note, practice="naming_power", focus=2):
    return PracticeTag.objects.create(note=note, practice=practice, focus=focus, evidence="Named who decides spending.")


def test_an_individual_session_names_its_partner(couple_case, therapist):
    with pytest.raises(IntegrityError), transaction.atomic():
        TherapySession.objects.create(
            case=couple_case, starts_at=timezone.now(), format="individual", created_by=therapist
        )


def test_drafts_keep_text_from_another_format_under_its_heading(note):
    draft(note, subjective="S", objective="O", data="typed under a DAP heading")
    note.refresh_from_db()
    assert note.content == {
        "subjective": "S\n\nData: typed under a DAP heading",
        "objective": "O",
        "assessment": "",
        "plan": "",
    }
    assert note.version == 2


def test_a_second_tab_cannot_overwrite_a_newer_draft(note):
    opened_at = note.version
    draft(note, subjective="Saved from tab one")
    stale = SessionNote.objects.get(pk=note.pk)
    with pytest.raises(StaleDraft) as conflict:
        draft(stale, version=opened_at, subjective="Typed in tab two")
    assert conflict.value.current.content["subjective"] == "Saved from tab one"
    note.refresh_from_db()
    assert note.content["subjective"] == "Saved from tab one"


def test_signing_needs_a_practice_tag_and_the_author(note, colleague, therapist):
    draft(note)
    with pytest.raises(SignRefused, match="Tag at least one"):
        note.sign(by=therapist)
    tag(note)
    with pytest.raises(SignRefused, match="Only the author"):
        note.sign(by=colleague)
    note.sign(by=therapist)
    note.refresh_from_db()
    assert note.is_signed and note.signed_by == therapist and len(note.content_hash) == 64
    assert note.verify()
    assert not note.late_entry


def test_a_signed_note_is_locked_in_the_app(note, therapist):
    draft(note)
    tag(note)
    note.sign(by=therapist)
    with pytest.raises(NoteLocked):
        draft(note, subjective="changed")
    with pytest.raises(NoteLocked):
        note.sign(by=therapist)


def test_a_note_signed_days_later_is_a_late_entry(note, therapist, settings):
    settings.LATE_NOTE_DAYS = 3
    draft(note)
    tag(note)
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        note.sign(by=therapist)
    assert note.late_entry


def test_addenda_follow_a_signed_note_and_leave_it_unchanged(note, therapist):
    draft(note)
    tag(note)
    with pytest.raises(SignRefused):
        Addendum.add(note=note, by=therapist, text="too early")
    note.sign(by=therapist)
    before = note.content_hash
    addendum = Addendum.add(note=note, by=therapist, text="Client called after the session: felt heard.")
    note.refresh_from_db()
    assert note.content_hash == before and note.verify()
    assert len(addendum.content_hash) == 64 and addendum.signed_at is not None


def test_a_session_with_a_signed_note_cannot_be_moved_or_deleted(note, session, therapist):
    draft(note)
    tag(note)
    note.sign(by=therapist)
    with pytest.raises(SessionLocked):
        session.move(starts_at=timezone.now())
    with pytest.raises(SessionLocked):
        session.delete()


def test_cosign_and_a_single_return(note, therapist, supervisor):
    therapist.needs_cosign, therapist.supervisor = True, supervisor
    therapist.save()
    draft(note)
    tag(note)
    note.sign(by=therapist)
    assert note.awaiting_cosign
    with pytest.raises(SignRefused, match="supervisor"):
        note.cosign(by=make_user(Role.THERAPIST))
    # A supervisor, but not this author's: supervision is an assignment.
    with pytest.raises(SignRefused, match="own supervisor"):
        note.cosign(by=make_user(Role.THERAPIST, is_supervisor=True))
    note.return_to_author(by=supervisor, comment="Add the safety check outcome.")
    note.refresh_from_db()
    assert (note.status, note.returned_by, note.return_comment) == (
        "draft",
        supervisor,
        "Add the safety check outcome.",
    )
    draft(note, subjective="Now with the safety check.")
    note.sign(by=therapist)
    with pytest.raises(SignRefused, match="already returned once"):
        note.return_to_author(by=supervisor, comment="Again")
    note.cosign(by=supervisor)
    note.refresh_from_db()
    assert note.cosigned_by == supervisor and not note.awaiting_cosign


def test_one_private_note_per_author_and_session(session, therapist):
    PsychotherapyNote.objects.create(session=session, author=therapist, text="My reactions.")
    with pytest.raises(IntegrityError), transaction.atomic():
        PsychotherapyNote.objects.create(session=session, author=therapist, text="again")


def signed(note, therapist):
    draft(note)
    tag(note)
    note.sign(by=therapist)
    return note


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        'UPDATE notes_sessionnote SET content = \'{"subjective": "rewritten"}\' WHERE id = %s',
        "UPDATE notes_sessionnote SET status = 'draft' WHERE id = %s",
        "DELETE FROM notes_sessionnote WHERE id = %s",
        "UPDATE notes_practicetag SET focus = 3 WHERE note_id = %s",
        "DELETE FROM notes_practicetag WHERE note_id = %s",
    ],
)
def test_postgresql_refuses_to_change_a_signed_note(note, therapist, sql):
    signed(note, therapist)
    with (
        pytest.raises(IntegrityError, match=r"signed note|locked"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [note.pk])
    note.refresh_from_db()
    assert note.verify()


@on_postgresql
def test_postgresql_refuses_to_change_an_addendum(note, therapist):
    signed(note, therapist)
    addendum = Addendum.add(note=note, by=therapist, text="Later thought.")
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE notes_addendum SET text = 'x' WHERE id = %s", [addendum.pk])


def test_switching_format_and_back_puts_every_word_under_its_own_heading_again():
    from clinic.notes.models import carry_over

    soap = {"subjective": "alpha\n\nmore alpha", "objective": "bravo", "assessment": "charlie", "plan": "delta"}
    dap = carry_over(soap, "dap")
    assert dap == {
        "data": "Subjective: alpha\n\nmore alpha\n\nObjective: bravo",
        "assessment": "charlie",
        "plan": "delta",
    }
    assert carry_over(dap, "soap") == soap
    birp = carry_over(dap, "birp")
    assert "alpha" in birp["behavior"] and "bravo" in birp["behavior"] and birp["plan"] == "delta"
    assert "charlie" in birp["behavior"]
