"""Overdue unsigned notes: one definition for the dashboard and the practice report.

A draft is overdue when its *session* (not the draft) ended more than OVERDUE_HOURS ago: the
appointment's end, which is the session's start plus its length. A draft opened late for an old
session is just as overdue as one left open since the session.
"""

from datetime import timedelta

from django.db.models import F, QuerySet
from django.utils import timezone

from clinic.lib.db import PlusMinutes
from clinic.notes.models import SessionNote

OVERDUE_HOURS = 72


def overdue_unsigned_notes(now=None) -> QuerySet:
    cutoff = (now or timezone.now()) - timedelta(hours=OVERDUE_HOURS)
    ends = PlusMinutes(F("session__starts_at"), F("session__duration_minutes"))
    return (
        SessionNote.objects.filter(status=SessionNote.Status.DRAFT)
        .alias(session_ends=ends)
        .filter(session_ends__lt=cutoff)
    )
