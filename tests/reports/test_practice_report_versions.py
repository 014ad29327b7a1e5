"""The practice report's two versions, its chart's suppression, overdue notes and staff names."""

import io
import re
import subprocess
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from clinic.lib.charts import Bar, bar_chart
from clinic.notes.models import PracticeTag, SessionNote, TherapySession
from clinic.notes.overdue import overdue_unsigned_notes
from clinic.reports.documents import practice_report_pdf
from clinic.reports.practice import INTERNAL, RELEASE, build, suppressed_group
from tests.factories import make_case

COUNTS = {"naming_power": 3, "repair": 7, "restoring_agency": 9}


def tagged_notes(therapist):
    case = make_case(therapist=therapist)
    for practice, count in COUNTS.items():
        for i in range(count):
            session = TherapySession.objects.create(
                case=case, starts_at=timezone.now() - timedelta(days=10 + i), created_by=therapist
            )
            note = SessionNote.objects.create(session=session, author=therapist, content={"subjective": "s"})
            PracticeTag.objects.create(note=note, practice=practice, focus=1, evidence="e")
            note.sign(by=therapist)
    return case


def period():
    today = timezone.localdate()
    return {"start": today - timedelta(days=60), "end": today}


def svg_numbers(svg: str) -> tuple[list[str], list[float]]:
    texts = [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    widths = [float(w) for w in re.findall(r'<rect[^>]*width="([\d.]+)"', svg)]
    return texts, widths


def test_the_internal_version_shows_exact_small_counts(therapist):
    tagged_notes(therapist)
    report = build(**period(), version=INTERNAL)
    assert dict(report.tags) == {
        "Naming power": "3",
        "Tolerating disagreement": "0",
        "Restoring agency": "9",
        "Repair": "7",
    }
    texts, _ = svg_numbers(report.tag_chart)
    assert "3" in texts


def test_the_release_version_suppresses_and_guards_the_complement(therapist):
    tagged_notes(therapist)
    report = build(**period(), version=RELEASE)
    tags = dict(report.tags)
    assert tags["Naming power"] == "<5"
    # Alone, 3 could be worked out from the number of tagged notes minus 7 and 9: 7 is withheld too.
    assert tags["Repair"] == "withheld"
    assert tags["Restoring agency"] == "9"
    texts, widths = svg_numbers(report.tag_chart)
    for hidden in (3, 7):
        assert str(hidden) not in texts
        assert not any(t.startswith(f"{hidden}") or t.endswith(f"{hidden}") for t in texts if t[:1].isdigit()), texts
        # No bar has a length that a hidden count would give on this scale (the scale is 0..9).
        assert all(abs(w - 300 * hidden / 9) > 0.5 for w in widths)
    assert "fewer" not in report.tag_chart and ": 3" not in report.tag_chart and ": 7" not in report.tag_chart


def test_the_chart_scale_never_comes_from_a_hidden_count():
    svg = bar_chart([Bar("a", (0,), suppressed=True), Bar("b", (6,))], title="t", maximum=6)
    texts, widths = svg_numbers(svg)
    assert "withheld" in texts and widths == [300.0]


def test_the_complement_rule():
    assert suppressed_group([3, 7, 9]) == [True, True, False]
    assert suppressed_group([3, 2, 9]) == [True, True, False]
    assert suppressed_group([0, 7, 9]) == [False, False, False]
    assert suppressed_group([3, 7, 9], INTERNAL) == [False, False, False]


def test_both_pdfs_render_and_read_right(therapist, admin_user, tmp_path):
    tagged_notes(therapist)
    texts = {}
    for version in (INTERNAL, RELEASE):
        pdf, name = practice_report_pdf(**period(), by=admin_user, version=version)
        texts[version] = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        (tmp_path / name).write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / name), str(tmp_path / version)], check=True)
        assert list(tmp_path.glob(f"{version}*.png"))
    assert "Internal" in texts[INTERNAL] and "Internal practice report" not in texts[RELEASE]
    assert re.search(r"Naming power\s*3\b", texts[INTERNAL])
    assert re.search(r"Naming power\s*<5", texts[RELEASE])
    assert str(therapist) in texts[RELEASE] and therapist.username not in texts[RELEASE]


def test_overdue_notes_count_from_the_session_and_agree_with_the_dashboard(therapist, as_user):
    case = make_case(therapist=therapist)
    old = TherapySession.objects.create(case=case, starts_at=timezone.now() - timedelta(days=5), created_by=therapist)
    recent = TherapySession.objects.create(
        case=case, starts_at=timezone.now() - timedelta(hours=5), created_by=therapist
    )
    # Both drafts were created just now: the old session's note is overdue all the same.
    SessionNote.objects.create(session=old, author=therapist, content={})
    SessionNote.objects.create(session=recent, author=therapist, content={})
    assert overdue_unsigned_notes().count() == 1
    report = build(**period(), version=INTERNAL)
    assert report.unsigned == [(str(therapist), "1")]
    page = as_user(therapist).get(reverse("dashboard")).content.decode()
    assert "1 overdue (session more than 72 hours ago)" in page


def test_staff_are_named_by_full_name_or_username(therapist, colleague):
    therapist.first_name, therapist.last_name = "Ana", "Okafor"
    therapist.save()
    colleague.first_name = colleague.last_name = ""
    colleague.save()
    names = [name for name, _ in build(**period(), version=INTERNAL).caseload]
    assert "Ana Okafor" in names and "colleague" in names and "owner" not in names


def test_a_year_out_of_range_is_a_form_error(as_user, admin_user):
    response = as_user(admin_user).post(
        reverse("practice_report"), {"start": "9999-12-31", "end": "9999-12-31", "version": "release"}
    )
    assert response.status_code == 200
    assert "Choose a date before the year 3000." in response.content.decode()
