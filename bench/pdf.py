"""PDF speed and memory.

1. A client summary with 100 signed notes: pages, the app's total time (gathering data, templating,
   rendering) against WeasyPrint alone rendering the same final HTML, in one warm process.
   Target: app total <= 1.25 x WeasyPrint alone.
2. The practice report over N and 10 x N notes: queries (constant) and time (target: 10x data <= 12x time).
3. The outcomes report over the same data, with two power questionnaires per client and a session check-in
   per client per session: queries (constant) and the whole PDF's time (target: 10x data <= 12x time).
4. Peak memory (max RSS growth) per page printed.

    DEBUG=true .venv/bin/python bench/pdf.py                     # SQLite in a temp dir; 10,000 and 100,000 notes
    DEBUG=true .venv/bin/python bench/pdf.py --notes 2000        # quicker
"""

import argparse
import importlib.util
import io
import resource
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("bench_notes", HERE / "notes.py")
bench_notes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_notes)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def client_summary_bench(repeat: int) -> None:
    from django.utils import timezone
    from pypdf import PdfReader

    from clinic.accounts.models import Role, User
    from clinic.clients.cases import open_case
    from clinic.notes.models import PracticeTag, SessionNote, TherapySession
    from clinic.reports.documents import client_summary_html, client_summary_pdf
    from clinic.reports.pdf import render_pdf

    therapist = User.objects.create(username="pdf-bench-t", role=Role.THERAPIST)
    case = open_case(
        kind="couple", therapist=therapist, clients=[{"full_name": "A Person"}, {"full_name": "B Person"}], by=therapist
    )
    client = case.clients.order_by("memberships__id").first()
    now = timezone.now()
    for week in range(100):
        session = TherapySession.objects.create(
            case=case, starts_at=now - timedelta(days=7 * (100 - week)), created_by=therapist
        )
        note = SessionNote.objects.create(
            session=session,
            author=therapist,
            content={
                k: f"{k.title()} of week {week}. " * 12 for k in ("subjective", "objective", "assessment", "plan")
            },
        )
        PracticeTag.objects.create(note=note, practice="repair", focus=2, evidence="Evidence line.")
        note.sign(by=therapist, at=session.starts_at + timedelta(hours=2))
    options = {"purpose": "bench", "notes": "full", "from": "", "to": ""}

    client_summary_pdf(case=case, client=client, options=options, by=therapist)  # warm up
    totals, alone = [], []
    before = rss_mb()
    pages = 0
    for _ in range(repeat):
        start = time.perf_counter()
        pdf, _ = client_summary_pdf(case=case, client=client, options=options, by=therapist)
        totals.append(time.perf_counter() - start)
        # The same final HTML, rendered by WeasyPrint alone.
        html, title, _ = client_summary_html(case=case, client=client, options=options, by=therapist)
        start = time.perf_counter()
        render_pdf(html=html, title=title, author="P")
        alone.append(time.perf_counter() - start)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    growth = rss_mb() - before
    total, render = statistics.median(totals), statistics.median(alone)
    print("client summary, 100 signed notes, full text")
    print(
        f"  pages {pages}; app total median {total:.2f} s; WeasyPrint alone median {render:.2f} s; ratio {total / render:.2f} (target <= 1.25)"
    )
    print(
        f"  peak RSS growth {growth:.1f} MB over {repeat} runs; about {max(growth, 0) / max(pages, 1):.2f} MB per page"
    )


def practice_report_bench(notes: int, cases: int) -> tuple[float, int]:
    from django.db import connection
    from django.utils import timezone

    from clinic.reports.practice import build

    today = timezone.localdate()
    build(start=today.replace(year=today.year - 3), end=today)  # warm up
    counter = bench_notes.QueryCounter()
    timings = []
    with connection.execute_wrapper(counter):
        build(start=today.replace(year=today.year - 3), end=today)
    for _ in range(5):
        start = time.perf_counter()
        build(start=today.replace(year=today.year - 3), end=today)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(
        f"practice report over {cases} cases and {notes} notes: {counter.count} queries, median {median * 1000:.0f} ms"
    )
    return median, counter.count


def fill_outcomes() -> tuple[int, int]:
    """Two power questionnaires for every client (three months apart) and a check-in per client per session."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from assessments.models import Screening, SessionCheckIn
    from clinic.clients.models import Membership
    from clinic.notes.models import TherapySession

    rng = random.Random(7)
    now = timezone.now()
    screenings = []
    clients = list(Membership.objects.values_list("client_id", flat=True))
    for client_id in clients:
        for days_ago in (100, 10):
            index = round(rng.uniform(10, 80), 1)
            band = "balanced" if index < 25 else "some_imbalance" if index < 50 else "marked_imbalance"
            scores = {"index": index, "band": band, "domains": [{"key": "voice", "title": "Voice", "score": index}]}
            at = now - timedelta(days=days_ago, minutes=rng.randrange(1000))
            screenings.append(
                Screening(
                    client_id=client_id, instrument_key="power", instrument_version=1, status="submitted",
                    scores=scores, result=band, assigned_at=at, submitted_at=at, updated_at=at,
                )
            )  # fmt: skip
    Screening.objects.bulk_create(screenings, batch_size=2000)
    members = {}
    for case_id, client_id in Membership.objects.values_list("case_id", "client_id"):
        members.setdefault(case_id, []).append(client_id)
    checkins = []
    for session_id, case_id, starts in TherapySession.objects.values_list("id", "case_id", "starts_at"):
        for client_id in members.get(case_id, []):
            value = rng.randrange(3, 11)
            items = {k: value for k in ("heard", "say", "disagree", "pace", "fair")}
            checkins.append(
                SessionCheckIn(
                    session_id=session_id, client_id=client_id, instrument_key="checkin", instrument_version=1,
                    status="submitted", scores={"items": items, "mean": float(value), "safe_to_disagree": value},
                    mean=float(value), assigned_at=starts, expires_at=starts + timedelta(days=4),
                    submitted_at=starts + timedelta(hours=3),
                )
            )  # fmt: skip
    SessionCheckIn.objects.bulk_create(checkins, batch_size=2000)
    return len(screenings), len(checkins)


def outcomes_bench(label: str) -> tuple[float, int]:
    from django.db import connection
    from django.utils import timezone

    from clinic.accounts.models import User
    from clinic.reports.documents import outcomes_report_pdf

    screenings, checkins = fill_outcomes()
    admin = User.objects.filter(role="admin").first() or User.objects.first()
    today = timezone.localdate()
    period = {"start": today.replace(year=today.year - 3), "end": today, "by": admin}
    outcomes_report_pdf(**period)  # warm up
    counter = bench_notes.QueryCounter()
    with connection.execute_wrapper(counter):
        outcomes_report_pdf(**period)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        outcomes_report_pdf(**period)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(
        f"outcomes report PDF, {label}, {screenings} questionnaires, {checkins} check-ins: "
        f"{counter.count} queries, median {median * 1000:.0f} ms"
    )
    return median, counter.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000, help="the 1x size; 10x is also measured")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    small = argparse.Namespace(therapists=50, cases=200, notes=args.notes, database="bench_pdf")
    bench_notes.configure(small)
    bench_notes.fill(small)
    client_summary_bench(args.repeat)
    one, q1 = practice_report_bench(small.notes, small.cases)
    out_one, out_q1 = outcomes_bench("1x")

    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    big = argparse.Namespace(therapists=50, cases=2000, notes=args.notes * 10, database="bench_pdf")
    bench_notes.fill(big)
    ten, q10 = practice_report_bench(big.notes, big.cases)
    print(f"10x data: {ten / one:.1f}x time (target <= 12); queries {q1} -> {q10} (constant)")
    out_ten, out_q10 = outcomes_bench("10x")
    print(f"outcomes report, 10x data: {out_ten / out_one:.1f}x time (target <= 12); queries {out_q1} -> {out_q10}")
    print(f"process peak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()
