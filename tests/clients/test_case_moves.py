"""A case moved to another therapist takes its drafts along and leaves the old therapist no trace.

Only a note's author can finish it, and only the case's therapist reaches the
case, so drafts move with the case: the new therapist becomes their author
(every word kept, a supervisor's return comment too) and can sign them. The
previous therapist's dashboard and case list no longer name the clients or
the session. Signed notes keep their author.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clinic.audit.models import Action, AuditEvent
from clinic.lib.dates import show
from clinic.notes.models import PracticeTag, SessionNote, TherapySession
from tests.clients.test_supervision import urgent_flag
from tests.notes.test_note_pages import save_and_sign


def session_of(case, therapist, *, days_ago: int) -> TherapySession:
    return TherapySession.objects.create(
        case=case, starts_at=timezone.now() - timedelta(days=days_ago), created_by=therapist
    )


def move(as_user, admin_user, case, to):
    return as_user(admin_user).post(
        reverse("case_reassign", kwargs={"code": case.code}), {"primary_therapist": to.pk}, follow=True
    )


def test_a_move_leaves_no_trace_on_the_old_therapists_dashboard(
    as_user, admin_user, therapist, colleague, couple_case, person, partner
):
    session = session_of(couple_case, therapist, days_ago=5)
    SessionNote.objects.create(session=session, author=therapist, content={"subjective": "Half a thought 5k5k."})
    urgent_flag(person, therapist)
    before = as_user(therapist).get(reverse("dashboard")).content.decode()
    day = show(session.starts_at, "MONTH_DAY_FORMAT")
    assert escape(couple_case.label) in before and day in before and str(session.code) in before

    response = move(as_user, admin_user, couple_case, colleague)
    assert "1 unsigned note moved with it." in response.content.decode()

    c = as_user(therapist)
    for page in ("dashboard", "case_list"):
        body = c.get(reverse(page)).content.decode()
        for trace in (person.display_name, partner.display_name, str(session.code), str(couple_case.code), day):
            assert trace not in body, (page, trace)
    assert c.get(reverse("note_page", kwargs={"code": session.code})).status_code == 404
    event = AuditEvent.objects.get(action=Action.CASE_REASSIGNED)
    assert event.detail["drafts_moved"] == 1


def test_the_new_therapist_finishes_and_signs_the_moved_draft(as_user, admin_user, therapist, colleague, couple_case):
    session = session_of(couple_case, therapist, days_ago=2)
    note = SessionNote.objects.create(session=session, author=therapist, content={"subjective": "Begun by owner."})
    move(as_user, admin_user, couple_case, colleague)
    note.refresh_from_db()
    assert note.author == colleague and note.content["subjective"] == "Begun by owner."

    c = as_user(colleague)
    dashboard = c.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("note_page", kwargs={"code": session.code})}"' in dashboard
    page = c.get(reverse("note_page", kwargs={"code": session.code})).content.decode()
    assert "Begun by owner." in page
    save_and_sign(c, session, note, c_subjective="Begun by owner, finished by colleague.")
    assert note.is_signed and note.signed_by == colleague
    assert note.content["subjective"] == "Begun by owner, finished by colleague."


def test_signed_notes_keep_their_author_and_a_returned_draft_keeps_its_comment(
    as_user, admin_user, therapist, colleague, supervisor, couple_case
):
    signed_session = session_of(couple_case, therapist, days_ago=9)
    signed = SessionNote.objects.create(session=signed_session, author=therapist, content={"subjective": "Done."})
    PracticeTag.objects.create(note=signed, practice="repair", focus=1, evidence="Apologised.")
    signed.sign(by=therapist)
    returned_session = session_of(couple_case, therapist, days_ago=4)
    returned = SessionNote.objects.create(
        session=returned_session,
        author=therapist,
        returned_at=timezone.now(),
        returned_by=supervisor,
        return_comment="Add the plan.",
    )
    move(as_user, admin_user, couple_case, colleague)
    signed.refresh_from_db()
    returned.refresh_from_db()
    assert signed.author == therapist and signed.signed_by == therapist
    assert returned.author == colleague and returned.return_comment == "Add the plan."
    body = as_user(colleague).get(reverse("dashboard")).content.decode()
    assert "Add the plan." in body


def test_moving_to_the_same_therapist_changes_nothing(as_user, admin_user, therapist, couple_case):
    session = session_of(couple_case, therapist, days_ago=1)
    SessionNote.objects.create(session=session, author=therapist)
    response = move(as_user, admin_user, couple_case, therapist)
    assert "moved with it" not in response.content.decode()
    assert SessionNote.objects.get().author == therapist
    assert not AuditEvent.objects.filter(action=Action.CASE_REASSIGNED).exists()
