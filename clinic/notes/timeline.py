"""The practice timeline of a case: which practices, at what focus, across its signed sessions."""

from django.utils import timezone

from clinic.clients.models import Case
from clinic.lib.charts import dot_matrix
from clinic.lib.dates import show
from clinic.notes.models import Practice, PracticeTag


def practice_timeline(case: Case, *, last: int = 16):
    """Dot-matrix SVG of the last `last` signed notes (one query), or None when there are none."""
    tags = list(
        PracticeTag.objects.filter(note__session__case=case, note__status="signed")
        .values_list("note__session__starts_at", "note_id", "practice", "focus")
        .order_by("note__session__starts_at")
    )
    if not tags:
        return None
    notes = list(dict.fromkeys(note_id for _, note_id, _, _ in tags))[-last:]
    dates = {note_id: when for when, note_id, _, _ in tags}
    rows = [value for value, _ in Practice.choices]
    cells = {
        (rows.index(practice), notes.index(note_id)): focus for _, note_id, practice, focus in tags if note_id in notes
    }
    columns = [show(dates[n], "MONTH_DAY_FORMAT") for n in notes]
    years = [timezone.localtime(dates[n]).year for n in notes]
    return dot_matrix(
        [label for _, label in Practice.choices], columns, cells, title="Practices across sessions", years=years
    )
