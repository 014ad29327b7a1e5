"""Overdue unsigned notes: one definition for the dashboard and the practice report.

A draft is overdue when its *session* (not the draft) started more than OVERDUE_HOURS ago:
a draft opened late for an old session is just as overdue as one left open since the session.
"""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from clinic.notes.models import SessionNote

OVERDUE_HOURS = 72


def overdue_unsigned_notes(now=None) -> QuerySet:
    cutoff = (now or timezone.now()) - timedelta(hours=OVERDUE_HOURS)
    return SessionNote.objects.filter(status=SessionNote.Status.DRAFT, session__starts_at__lt=cutoff)
