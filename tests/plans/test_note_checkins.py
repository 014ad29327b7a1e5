"""Beside the note: each partner's exercises and the check-ins they sent since the case's previous session."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import Action, AuditEvent
from clinic.notes.models import TherapySession
from clinic.plans.exercises import draft_of, save_checkin
from clinic.plans.models import CheckIn
from tests.plans.practice_helpers import assign_to, sent_checkin

pytestmark = pytest.mark.django_db


def a_session(case, therapist, when) -> TherapySession:
    return TherapySession.objects.create(case=case, starts_at=when, created_by=therapist)


def sidebar(http, session):
    response = http.get(reverse("note_page", kwargs={"code": session.code}))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one(".note-checkins")


def test_it_shows_each_partners_check_ins_since_the_previous_session_and_no_drafts(
    as_user, therapist, couple_case, person, partner
):
    now = timezone.now()
    a_session(couple_case, therapist, now - timedelta(days=7))
    today = a_session(couple_case, therapist, now - timedelta(hours=1))
    mine = assign_to(couple_case, person, by=therapist)
    before = sent_checkin(mine, text="Sent before the last session")
    CheckIn.objects.filter(pk=before.pk).update(sent_at=now - timedelta(days=8))
    sent_checkin(mine, text="Sent this week", worse=True)
    theirs = assign_to(couple_case, partner, by=therapist)
    save_checkin(checkin=draft_of(theirs), tried="yes", text="Unsent draft", made_things_worse=False)
    part = sidebar(as_user(therapist), today)
    text = part.get_text(" ", strip=True)
    assert "Sent this week" in text and "Made things worse" in text
    assert "Sent before the last session" not in text and "Unsent draft" not in text
    assert person.display_name in text and partner.display_name in text
    assert AuditEvent.objects.filter(action=Action.CHECKINS_VIEWED, client=person, detail__where="note").exists()


def test_the_first_session_shows_everything_sent(as_user, therapist, couple_case, person):
    first = a_session(couple_case, therapist, timezone.now())
    sent_checkin(assign_to(couple_case, person, by=therapist), text="Early words")
    assert "Early words" in sidebar(as_user(therapist), first).get_text()


def test_a_supervisor_reading_the_note_does_not_see_the_check_ins(as_user, therapist, supervisor, couple_case, person):
    from clinic.notes.writing import note_for

    therapist.supervisor = supervisor
    therapist.save(update_fields=["supervisor"])
    session = a_session(couple_case, therapist, timezone.now())
    sent_checkin(assign_to(couple_case, person, by=therapist), text="Private to the therapist")
    note = note_for(session, author=therapist)
    type(note).objects.filter(pk=note.pk).update(
        status="signed", signed_at=timezone.now(), signed_by=therapist, content_hash="x" * 64, needs_cosign=True
    )
    response = as_user(supervisor).get(reverse("note_page", kwargs={"code": session.code}))
    assert response.status_code == 200
    assert "Private to the therapist" not in response.content.decode()


def test_the_sidebar_takes_the_same_queries_at_ten_times_the_data(
    therapist, couple_case, person, partner, django_assert_num_queries
):
    from clinic.notes.writing import note_for
    from clinic.plans.exercise_views import note_checkins_context
    from tests.plans.practice_helpers import an_exercise

    a_session(couple_case, therapist, timezone.now() - timedelta(days=7))
    session = a_session(couple_case, therapist, timezone.now())
    session = TherapySession.objects.select_related("case").get(pk=session.pk)
    note = note_for(session, author=therapist)
    exercise = an_exercise()

    def add(times):
        for _ in range(times):
            for client in (person, partner):
                sent_checkin(assign_to(couple_case, client, by=therapist, exercise=exercise), text="Words")

    add(1)
    # The previous session, assignments, their check-ins, the partners, one audit event per partner.
    with django_assert_num_queries(6):
        context = note_checkins_context(note=note, session=session, user=therapist)
    assert sum(r["checkins"] for r in context["checkin_partners"]) == 2
    add(9)
    with django_assert_num_queries(6):
        context = note_checkins_context(note=note, session=session, user=therapist)
    assert sum(r["checkins"] for r in context["checkin_partners"]) == 20


def test_a_missed_session_does_not_hide_what_was_sent_before_it(as_user, therapist, couple_case, person):
    now = timezone.now()
    a_session(couple_case, therapist, now - timedelta(days=14))
    missed = a_session(couple_case, therapist, now - timedelta(days=7))
    TherapySession.objects.filter(pk=missed.pk).update(attendance=TherapySession.Attendance.NO_SHOW)
    today = a_session(couple_case, therapist, now - timedelta(hours=1))
    checkin = sent_checkin(assign_to(couple_case, person, by=therapist), text="Sent before the missed one")
    CheckIn.objects.filter(pk=checkin.pk).update(sent_at=now - timedelta(days=10))
    assert "Sent before the missed one" in sidebar(as_user(therapist), today).get_text()
