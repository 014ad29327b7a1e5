import xml.etree.ElementTree as ET
from datetime import date, datetime
from zoneinfo import ZoneInfo

from clinic.lib.charts import dot_matrix, line_chart
from clinic.notes.models import PracticeTag, SessionNote, TherapySession
from clinic.notes.timeline import practice_timeline

SVG = "{http://www.w3.org/2000/svg}"
LA = ZoneInfo("America/Los_Angeles")


def texts(svg) -> list[str]:
    return [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]


def signed_session(case, therapist, when: datetime) -> None:
    session = TherapySession.objects.create(case=case, starts_at=when, created_by=therapist)
    note = SessionNote.objects.create(session=session, author=therapist, content={"subjective": "s"})
    PracticeTag.objects.create(note=note, practice="repair", focus=2, evidence="e")
    note.sign(by=therapist)


def test_the_practice_timeline_names_the_year_at_the_start_and_when_it_changes(therapist, couple_case):
    signed_session(couple_case, therapist, datetime(2025, 12, 10, 15, tzinfo=LA))
    signed_session(couple_case, therapist, datetime(2025, 12, 17, 15, tzinfo=LA))
    # 7 pm on New Year's Eve in Los Angeles is already 2026 in UTC: the practice's year counts.
    signed_session(couple_case, therapist, datetime(2025, 12, 31, 19, tzinfo=LA))
    signed_session(couple_case, therapist, datetime(2026, 1, 7, 15, tzinfo=LA))
    svg = practice_timeline(couple_case)
    words = texts(svg)
    assert words.count("2025") == 1 and words.count("2026") == 1
    # Each year is drawn with the first column of that year.
    assert words[words.index("Dec 10") + 1] == "2025" and words[words.index("Jan 7") + 1] == "2026"
    desc = ET.fromstring(svg).find(f"{SVG}desc").text
    assert "Dec 31, 2025 2" in desc and "Jan 7, 2026 2" in desc


def test_a_dot_matrix_without_years_is_unchanged():
    words = texts(dot_matrix(["Repair"], ["S1", "S2"], {(0, 0): 1}, title="t"))
    assert words == ["S1", "S2", "Repair"]


def test_a_trend_chart_names_the_years_under_its_dates():
    svg = line_chart(
        {"Power index": [(date(2025, 11, 1), 40), (date(2025, 12, 1), 35), (date(2026, 2, 1), 20)]}, title="t"
    )
    words = texts(svg)
    assert words.count("2025") == 1 and words.count("2026") == 1
