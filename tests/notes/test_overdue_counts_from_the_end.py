"""A note is overdue OVERDUE_HOURS after its session (the appointment) ended, not after it started."""

from datetime import timedelta

from django.utils import timezone

from clinic.notes.models import TherapySession
from clinic.notes.overdue import overdue_unsigned_notes
from clinic.notes.writing import note_for


def test_overdue_counts_from_the_end_of_the_session(couple_case, therapist):
    now = timezone.now()
    a = TherapySession.objects.create(
        case=couple_case, starts_at=now - timedelta(hours=72, minutes=30), duration_minutes=50, created_by=therapist
    )
    b = TherapySession.objects.create(
        case=couple_case, starts_at=now - timedelta(hours=73, minutes=0), duration_minutes=50, created_by=therapist
    )
    note_for(a, author=therapist)
    note_for(b, author=therapist)
    got = set(overdue_unsigned_notes(now).values_list("session_id", flat=True))
    # a ended 71h40m ago (not yet overdue); b ended 72h10m ago.
    assert got == {b.pk}
