"""A supervisor reads and co-signs only their own supervisees' notes, and each act ends on a confirmation.

Supervision is an assignment: a supervisor of other therapists gets 404 on a
note they are not assigned to, even while it waits for a co-signature.
Co-signing or returning ends the supervisor's access to the note, so both land
on the dashboard with a message naming what was done (nothing clinical in the
URL). The author finds the returned note on their dashboard with the comment,
as a link to the note. A supervisor may open a supervisee's case read-only,
and each opening is audited.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clinic.accounts.models import Role
from clinic.audit.models import Action, AuditEvent
from clinic.lib.dates import show
from clinic.notes.models import PracticeTag, SessionNote, TherapySession
from tests.factories import make_case, make_user


@pytest.fixture
def supervised(therapist, supervisor):
    therapist.needs_cosign, therapist.supervisor = True, supervisor
    therapist.save(update_fields=["needs_cosign", "supervisor"])
    return therapist


def signed_note(case, author, *, days_ago=3, next_steps="") -> SessionNote:
    session = TherapySession.objects.create(
        case=case, starts_at=timezone.now() - timedelta(days=days_ago), created_by=author
    )
    note = SessionNote.objects.create(
        session=session, author=author, content={"subjective": "Money talk 7q7q."}, next_steps=next_steps
    )
    PracticeTag.objects.create(note=note, practice="naming_power", focus=2, evidence="Named who decides.")
    note.sign(by=author)
    return note


def note_url(name, note) -> str:
    return reverse(name, kwargs={"code": note.session.code})


def test_a_supervisor_of_others_gets_404_on_a_note_awaiting_cosign(as_user, supervised, couple_case):
    note = signed_note(couple_case, supervised)
    assert note.awaiting_cosign
    other = make_user(Role.THERAPIST, username="other-supervisor", is_supervisor=True)
    someone_else = make_user(Role.THERAPIST, username="supervisee-of-other", supervisor=other)
    assert someone_else.supervisor == other
    c = as_user(other)
    assert c.get(note_url("note_page", note)).status_code == 404
    assert c.post(note_url("note_cosign", note)).status_code == 404
    assert c.post(note_url("note_return", note), {"comment": "No."}).status_code == 404
    note.refresh_from_db()
    assert note.awaiting_cosign and note.returned_at is None
    body = c.get(reverse("dashboard")).content.decode()
    assert str(note.session.code) not in body and "Nothing waiting." in body


def test_the_assigned_supervisor_reads_the_note(as_user, supervised, supervisor, couple_case):
    note = signed_note(couple_case, supervised)
    page = as_user(supervisor).get(note_url("note_page", note)).content.decode()
    assert "Money talk 7q7q." in page and "Co-sign" in page
    assert AuditEvent.objects.filter(action=Action.NOTE_VIEWED, actor=supervisor).exists()


def test_cosigning_lands_on_a_page_that_says_what_was_done(as_user, supervised, supervisor, couple_case):
    note = signed_note(couple_case, supervised)
    response = as_user(supervisor).post(note_url("note_cosign", note), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    body = response.content.decode()
    day = show(note.session.starts_at, "DATE_FORMAT")
    assert escape(f"Co-signed {supervised}'s note for {couple_case.label}, session of {day}.") in body
    note.refresh_from_db()
    assert note.cosigned_by == supervisor
    assert str(note.session.code) not in body  # no longer waiting, so no longer listed
    assert "7q7q" not in body


def test_returning_lands_on_a_page_that_says_what_was_done(as_user, supervised, supervisor, couple_case):
    note = signed_note(couple_case, supervised)
    response = as_user(supervisor).post(
        note_url("note_return", note), {"comment": "Add the safety check outcome."}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    assert "Add the safety check" not in response.redirect_chain[0][0]
    body = response.content.decode()
    assert escape(f"Returned {supervised}'s note for {couple_case.label}") in body and "to its author" in body
    note.refresh_from_db()
    assert note.status == SessionNote.Status.DRAFT and note.returned_by == supervisor


def test_a_refused_return_stays_on_the_note_with_the_reason(as_user, supervised, supervisor, couple_case):
    note = signed_note(couple_case, supervised)
    response = as_user(supervisor).post(note_url("note_return", note), {"comment": "  "}, follow=True)
    assert response.redirect_chain == [(note_url("note_page", note), 302)]
    assert "Say what needs changing." in response.content.decode()
    note.refresh_from_db()
    assert note.awaiting_cosign


def test_the_author_sees_the_returned_note_with_the_comment_as_a_link(as_user, supervised, supervisor, couple_case):
    note = signed_note(couple_case, supervised)
    as_user(supervisor).post(note_url("note_return", note), {"comment": "Add the safety check outcome."})
    body = as_user(supervised).get(reverse("dashboard")).content.decode()
    assert "Returned to you by your supervisor" in body
    section = body[body.index("returned-notes") : body.index("unsigned-h")]
    assert f'href="{note_url("note_page", note)}"' in section
    assert "Add the safety check outcome." in section and str(supervisor) in section
    # Listed once: as returned, not again among the plain drafts.
    assert body.count(f'href="{note_url("note_page", note)}"') == 1
    page = as_user(supervised).get(note_url("note_page", note)).content.decode()
    assert "Add the safety check outcome." in page


def test_the_supervisor_dashboard_names_the_case_of_each_awaiting_note(as_user, supervised, supervisor, couple_case):
    note = signed_note(couple_case, supervised)
    body = as_user(supervisor).get(reverse("dashboard")).content.decode()
    item = body[body.index("cosign-h") :]
    assert f'href="{note_url("note_page", note)}"' in item and escape(couple_case.label) in item


def test_a_supervisor_opens_a_supervisees_case_read_only_and_it_is_audited(
    as_user, supervised, supervisor, couple_case, person
):
    waiting = signed_note(couple_case, supervised, days_ago=3)
    draft_session = TherapySession.objects.create(
        case=couple_case, starts_at=timezone.now() - timedelta(days=1), created_by=supervised
    )
    SessionNote.objects.create(session=draft_session, author=supervised)
    c = as_user(supervisor)
    response = c.get(reverse("case_detail", kwargs={"code": couple_case.code}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "read-only" in body and escape(person.full_name) in body
    # The awaiting note opens; the draft is listed without a link; no action is offered.
    assert f'href="{note_url("note_page", waiting)}"' in body
    assert f'href="{reverse("note_page", kwargs={"code": draft_session.code})}"' not in body
    for action in ("session_new", "case_discharge", "comparison"):
        kwargs = {"case_code": couple_case.code} if action != "case_discharge" else {"code": couple_case.code}
        assert reverse(action, kwargs=kwargs) not in body
    assert "client-contact" in body and "Email" not in body
    event = AuditEvent.objects.get(action=Action.SUPERVISOR_VIEWED_CASE)
    assert (event.actor, event.target_id) == (supervisor, str(couple_case.code))
    assert not AuditEvent.objects.filter(action=Action.CASE_VIEWED, actor=supervisor).exists()
    # The rest stays the treating therapist's.
    for name, kwargs in [
        ("client_record", {"case_code": couple_case.code, "client_code": person.code}),
        ("intake_read", {"case_code": couple_case.code, "client_code": person.code}),
        ("comparison", {"case_code": couple_case.code}),
        ("session_new", {"case_code": couple_case.code}),
        ("note_page", {"code": draft_session.code}),
    ]:
        assert c.get(reverse(name, kwargs=kwargs)).status_code == 404, name


def test_a_supervisor_of_others_gets_404_on_the_case(as_user, supervised, couple_case, colleague):
    other = make_user(Role.THERAPIST, username="other-supervisor", is_supervisor=True)
    colleague.supervisor = other
    colleague.save(update_fields=["supervisor"])
    make_case(therapist=colleague)
    assert as_user(other).get(reverse("case_detail", kwargs={"code": couple_case.code})).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.SUPERVISOR_VIEWED_CASE).exists()


def test_an_unflagged_therapist_supervising_nobody_sees_no_cases(as_user, therapist, couple_case, colleague):
    # Marked as supervisee of nobody and not a supervisor: the case list is their own only.
    body = as_user(colleague).get(reverse("case_list")).content.decode()
    assert couple_case.label not in body
    assert as_user(colleague).get(reverse("case_detail", kwargs={"code": couple_case.code})).status_code == 404


def test_a_supervisor_reading_a_note_does_not_see_the_previous_notes_next_steps(
    as_user, supervised, supervisor, couple_case
):
    # The supervisor reaches only the notes waiting for them: the earlier note, already co-signed, is not one.
    earlier = signed_note(couple_case, supervised, days_ago=10, next_steps="Try the money talk again 9z9z.")
    earlier.cosign(by=supervisor)
    waiting = signed_note(couple_case, supervised, days_ago=3)
    supervisor_page = as_user(supervisor).get(note_url("note_page", waiting)).content.decode()
    assert "Money talk 7q7q." in supervisor_page and "Co-sign" in supervisor_page
    assert "9z9z" not in supervisor_page and "Last session's plan" not in supervisor_page
    therapist_page = as_user(supervised).get(note_url("note_page", waiting)).content.decode()
    assert "Try the money talk again 9z9z." in therapist_page
