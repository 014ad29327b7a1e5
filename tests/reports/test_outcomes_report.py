"""The outcomes report: reliable change by starting band, medians, check-ins and alerts, practices beside outcomes,
alpha; exact inside, suppressed for release; admin only; audited; a fixed number of queries."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Screening
from clinic.audit.models import Action, AuditEvent
from clinic.plans.models import Goal
from clinic.plans.planning import sign_version, start_plan
from clinic.reports.models import ReportJob
from clinic.reports.outcomes import build
from clinic.reports.practice import INTERNAL, RELEASE
from tests.factories import checkins_sent, make_case

pytestmark = pytest.mark.django_db

# (first index, its band, later index). Overall norm of power v1 (the practice has too few questionnaires of its
# own): SD 15, r 0.85, so S_diff = sqrt(2) x 15 x sqrt(0.15) = 8.216 and a change is reliable beyond 16.1 points.
CLIENTS = [
    (60.0, "marked_imbalance", 30.0),  # RCI -3.65: improved
    (55.0, "marked_imbalance", 50.0),  # -0.61: no reliable change
    (40.0, "some_imbalance", 20.0),  # -2.43: improved
    (35.0, "some_imbalance", 34.0),  # no reliable change
    (30.0, "some_imbalance", 50.0),  # +2.43: worse
    (20.0, "balanced", 18.0),  # no reliable change
    *[(45.0, "some_imbalance", 44.0)] * 5,  # no reliable change
]


def screening(client, index: float, band: str, days_ago: int) -> None:
    at = timezone.now() - timedelta(days=days_ago)
    scores = {"index": index, "band": band, "domains": [{"key": "voice", "title": "Voice", "score": index}]}
    Screening.objects.create(
        client=client, instrument_key="power", instrument_version=1, status="submitted", scores=scores,
        result=band, assigned_at=at, submitted_at=at, updated_at=at,
    )  # fmt: skip


def practice(therapist, clients=CLIENTS) -> list:
    cases = []
    for first, band, later in clients:
        case = make_case(therapist=therapist, kind="individual")
        client = case.clients.get()
        screening(client, first, band, days_ago=80)
        screening(client, later, band, days_ago=10)
        cases.append(case)
    return cases


def period() -> dict:
    today = timezone.localdate()
    return {"start": today - timedelta(days=30), "end": today}


def test_the_internal_version_counts_reliable_change_by_starting_band(therapist):
    practice(therapist)
    r = build(**period(), version=INTERNAL)
    assert r.changed_clients == "11"
    assert r.overall == [
        ("Reliably improved", "2", "18%"),
        ("No reliable change", "8", "73%"),
        ("Reliably worse", "1", "9%"),
    ]
    bands = {b.label: (b.clients, [n for _, n, _ in b.parts]) for b in r.bands}
    assert bands == {
        "Balanced": ("1", ["0", "1", "0"]),
        "Some imbalance": ("8", ["1", "6", "1"]),
        "Marked imbalance": ("2", ["1", "1", "0"]),
    }
    # Changes in voice: -30, -5, -20, -1, +20, -2 and five of -1: the median is -1.
    medians = {title: (median, n) for title, median, n in r.domains}
    assert medians["Emotional climate and voice"] == ("\u22121.0", "11")
    assert medians["Money and resources"] == ("—", "0")  # no scores for it in these questionnaires
    assert medians["Overall index"] == ("\u22121.0", "11")
    assert r.basis_words == "provisional defaults; practice has n = 22, needs 30"


def test_the_release_version_hides_small_counts_and_what_they_would_give_away(therapist):
    practice(therapist)
    r = build(**period(), version=RELEASE)
    assert r.overall == [
        ("Reliably improved", "<5", "—"),
        ("No reliable change", "8", "73%"),
        ("Reliably worse", "<5", "—"),
    ]
    bands = {b.label: (b.clients, [n for _, n, _ in b.parts]) for b in r.bands}
    # A band of fewer than five clients says nothing of how they changed.
    assert bands["Balanced"] == ("<5", ["—", "—", "—"]) and bands["Marked imbalance"] == ("<5", ["—", "—", "—"])
    assert bands["Some imbalance"] == ("8", ["<5", "6", "<5"])
    # Practices beside outcomes only for a group of five or more, and never for a group whose size is hidden.
    assert r.practice_groups == [("Reliably improved", "<5"), ("No reliable change", "8"), ("Reliably worse", "<5")]
    assert all(cells[0] == "—" and cells[2] == "—" for _, cells in r.practices)


def test_one_small_part_takes_a_second_with_it(therapist):
    practice(therapist, [c for c in CLIENTS if c[2] <= c[0]])  # nobody worse: 2 improved, 8 unchanged, 0 worse
    r = build(**period(), version=RELEASE)
    assert [n for _, n, _ in r.overall] == ["<5", "withheld", "0"]
    assert r.practice_groups[1] == ("No reliable change", "withheld")
    assert all(cells == ["—", "—", "—"] for _, cells in r.practices)


def test_check_ins_alerts_and_plans_are_counted(therapist, couple_case, person, partner):
    checkins_sent(couple_case, therapist, {person: ("", 4), partner: ("", 9)}, sessions=3)
    version = start_plan(case=couple_case, by=therapist)
    Goal.objects.create(version=version, practice="repair", statement="Repair within a day", progress_shows="Both say")
    sign_version(version=version, by=therapist)
    inside = build(**period(), version=INTERNAL)
    assert inside.plan_cases == "1"
    assert dict(inside.checkins) == {
        "Check-ins offered after sessions": "6",
        "… sent": "6",
        "Share sent": "100%",
        "Average of all lines (0 to 10, higher is better)": "6.5",
    }
    assert dict(inside.checkin_lines)["It felt safe to disagree here."] == "6.5"
    assert dict(inside.alerts) == {
        "Balance alerts raised": "1",
        "Balance alerts resolved": "0",
        "Open at the end of the period": "1",
    }
    outside = build(**period(), version=RELEASE)
    assert outside.plan_cases == "<5"
    assert dict(outside.checkins)["Average of all lines (0 to 10, higher is better)"] == "6.5"  # six check-ins
    assert dict(outside.alerts)["Balance alerts raised"] == "<5"


def test_alpha_per_domain_with_n(therapist):
    r = build(**period(), version=INTERNAL)
    overall = r.reliability[0]
    assert overall[0] == "Overall index" and overall[2] == "0" and overall[3] == "provisional defaults"


@pytest.mark.parametrize("size", [1, 3])
def test_a_fixed_number_of_queries(therapist, django_assert_num_queries, size):
    practice(therapist, CLIENTS * size)
    with django_assert_num_queries(7):
        build(**period(), version=RELEASE)


def test_the_admin_makes_both_versions_as_pdfs_audited(as_user, admin_user, therapist, first_page_png):
    practice(therapist)
    c = as_user(admin_user)
    dates = {k: v.isoformat() for k, v in period().items()}
    texts = {}
    for version in (INTERNAL, RELEASE):
        queued = c.post(reverse("outcomes_report"), {**dates, "version": version})
        assert queued.status_code == 302
        job = ReportJob.objects.filter(kind="outcomes").order_by("-id").first()
        pdf = c.get(reverse("report_download", kwargs={"code": job.code}))
        assert pdf["Content-Type"] == "application/pdf"
        first_page_png(f"outcomes-report-{version}", pdf.content)
        texts[version] = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "INTERNAL — EXACT FIGURES" in texts[INTERNAL] and "Reliably improved 2 (18%)" in texts[INTERNAL]
    assert "For release" in texts[RELEASE] and "Reliably improved <5" in texts[RELEASE]
    for text in texts.values():
        assert "Association, not cause." in text and "Jacobson & Truax" in text
        assert "Client Person" not in text  # nobody is named
    assert AuditEvent.objects.filter(action=Action.PDF_GENERATED, detail__report="outcomes").count() == 2


@pytest.mark.parametrize("who", ["therapist", "client_user"])
def test_only_admins_make_the_outcomes_report(request, as_user, who):
    assert as_user(request.getfixturevalue(who)).get(reverse("outcomes_report")).status_code == 404
