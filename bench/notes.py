"""Server time of the dashboard, a case page, a note page, the note editor and the plan page over a large practice.

Fills a fresh database with THERAPISTS therapists, CASES couple cases and
NOTES signed, tagged notes, each case with a treatment plan (goals under the
four practices, shared and each partner's, every note linked to a goal of the
plan in force), reviews, and private assignments with check-ins for each
partner. It requests each page REPEAT times through Django's test client as
one therapist and prints the median and p95 server time and the query count
per page: first with the plan material at 1x (one review, two assignments per
partner), then grown in place to 10x (ten reviews, twenty assignments per
partner). The query counts must not grow with the data.

The plan page (URL name `plan_detail`) is measured when the URL exists; the
line says so when it does not.

    DEBUG=true .venv/bin/python bench/notes.py                 # full size, SQLite file in a temp dir
    DEBUG=true .venv/bin/python bench/notes.py --notes 10000   # smaller, for a quick look
    DEBUG=true .venv/bin/python bench/notes.py --scales 1      # plan material at 1x only
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test ... bench/notes.py --database bench_notes

It never touches the demo database: SQLite goes to a temporary file, and on
PostgreSQL a separate database (default bench_notes) is created and dropped.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ["REQUIRE_2FA"] = "false"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, _ = url.rpartition("/")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            conn.execute(f'CREATE DATABASE "{args.database}"')
        os.environ["DATABASE_URL"] = f"{base}/{args.database}"
    else:
        os.environ["DATABASE_URL"] = ""
        folder = tempfile.mkdtemp(prefix="fulcrum-bench-")
        os.environ["FULCRUM_BENCH_SQLITE"] = str(Path(folder) / "bench.sqlite3")
    import django

    django.setup()
    from django.conf import settings

    if "FULCRUM_BENCH_SQLITE" in os.environ:
        settings.DATABASES["default"]["NAME"] = os.environ["FULCRUM_BENCH_SQLITE"]
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def fill(args):
    from django.core.management import call_command
    from django.db.models import F
    from django.utils import timezone

    from clinic.accounts.models import Role, User
    from clinic.clients.models import Case, Client, Membership
    from clinic.notes.models import PracticeTag, SessionNote, TherapySession
    from clinic.plans.models import NoteGoal

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    admin = User.objects.create(username="bench-admin", role=Role.ADMIN)
    therapists = User.objects.bulk_create(
        User(username=f"bench-t{i}", role=Role.THERAPIST, first_name="T", last_name=str(i))
        for i in range(args.therapists)
    )
    cases = Case.objects.bulk_create(
        Case(kind=Case.Kind.COUPLE, primary_therapist=therapists[i % len(therapists)], created_by=admin)
        for i in range(args.cases)
    )
    clients = Client.objects.bulk_create(
        Client(full_name=f"Client {i}", created_by=admin) for i in range(args.cases * 2)
    )
    Membership.objects.bulk_create(
        Membership(case=case, client=clients[2 * i + j]) for i, case in enumerate(cases) for j in (0, 1)
    )
    partners = {case.pk: (clients[2 * i], clients[2 * i + 1]) for i, case in enumerate(cases)}
    # The first plan version of every case, before the notes: a note links to goals before it is signed.
    first_goals = fill_first_plans(cases, partners)
    per_case = max(1, args.notes // len(cases))
    now = timezone.now()
    practices = ["naming_power", "tolerating_disagreement", "restoring_agency", "repair"]
    batch = 5000
    sessions_buffer = []
    for i, case in enumerate(cases):
        for k in range(per_case):
            sessions_buffer.append(
                TherapySession(
                    code=uuid.uuid4(),
                    case=case,
                    starts_at=now - timedelta(days=7 * (per_case - k)),
                    created_by=case.primary_therapist,
                )
            )
        if len(sessions_buffer) >= batch or i == len(cases) - 1:
            created = TherapySession.objects.bulk_create(sessions_buffer)
            notes = SessionNote.objects.bulk_create(
                SessionNote(session=s, author=s.created_by, content={"subjective": "Bench text " * 20}) for s in created
            )
            PracticeTag.objects.bulk_create(
                PracticeTag(note=n, practice=practices[j % 4], focus=1 + j % 3, evidence="Evidence line.")
                for j, n in enumerate(notes)
            )
            NoteGoal.objects.bulk_create(
                NoteGoal(note=n, goal=first_goals[s.case_id][practices[j % 4]], movement="some")
                for j, (n, s) in enumerate(zip(notes, created, strict=True))
            )
            # Tagged and linked first, then signed: on PostgreSQL a signed note's tags and links are locked.
            SessionNote.objects.filter(pk__in=[n.pk for n in notes]).update(
                status="signed", signed_at=now, signed_by=F("author"), content_hash="0" * 64
            )
            sessions_buffer = []
    # A few drafts for the dashboard's unsigned list.
    therapist = therapists[0]
    own_case = Case.objects.filter(primary_therapist=therapist).first()
    for k in range(5):
        session = TherapySession.objects.create(case=own_case, starts_at=now - timedelta(days=k), created_by=therapist)
        SessionNote.objects.create(session=session, author=therapist, content={"subjective": "draft"})
    print(
        f"filled: {len(therapists)} therapists, {len(cases)} cases, "
        f"{SessionNote.objects.count()} notes in {time.perf_counter() - started:.1f} s"
    )
    return therapist, own_case, cases, partners


PRACTICES = ["naming_power", "tolerating_disagreement", "restoring_agency", "repair"]


def _goals_of(version, partners, *, previous=None):
    """Eight goals: one shared under each practice, two for each partner; a review copies the lineage."""
    from clinic.plans.models import Goal

    made = []
    owners = [None] * 4 + [partners[0]] * 2 + [partners[1]] * 2
    for k, owner in enumerate(owners):
        practice = PRACTICES[k % 4]
        made.append(
            Goal(
                version=version,
                lineage=previous[k].lineage if previous else uuid.uuid4(),
                practice=practice,
                client=owner,
                statement=f"Bench goal {k} " * 4,
                progress_shows="Shows in the bench.",
                position=k,
                progress="some" if previous else "",
                progress_evidence="Bench evidence." if previous else "",
                carried_over=previous is not None,
            )
        )
    return made


def _sign_all(versions) -> None:
    from django.db.models import F
    from django.utils import timezone

    from clinic.plans.models import PlanVersion

    PlanVersion.objects.filter(pk__in=[v.pk for v in versions]).update(
        status="signed", signed_at=timezone.now(), signed_by=F("created_by"), content_hash="0" * 64
    )


def fill_first_plans(cases, partners) -> dict:
    """Version 1 of every case's plan, signed; returns each case's shared goal per practice (for the note links)."""
    from clinic.plans.models import Goal, PlanVersion, TreatmentPlan

    plans = TreatmentPlan.objects.bulk_create(
        TreatmentPlan(case=case, created_by=case.primary_therapist) for case in cases
    )
    versions = PlanVersion.objects.bulk_create(
        PlanVersion(plan=plan, number=1, created_by=case.primary_therapist, concerns="Bench concerns.")
        for plan, case in zip(plans, cases, strict=True)
    )
    goals = Goal.objects.bulk_create(
        g for v, case in zip(versions, cases, strict=True) for g in _goals_of(v, partners[case.pk])
    )
    _sign_all(versions)
    by_case: dict = {}
    for goal, case in zip(goals, [c for c in cases for _ in range(8)], strict=True):
        if goal.client_id is None:
            by_case.setdefault(case.pk, {})[goal.practice] = goal
    return by_case


def grow_plan_material(cases, partners, *, scale: int) -> None:
    """Reviews up to `scale` per case (each a signed version with eight goals) and 2 x `scale` assignments per
    partner, each with a sent check-in (and a draft on the newest)."""
    from django.utils import timezone

    from clinic.plans.models import Assignment, CheckIn, Exercise, Goal, PlanVersion

    started = time.perf_counter()
    latest = {
        v.plan.case_id: v
        for v in PlanVersion.objects.filter(plan__case__in=cases).select_related("plan").order_by("number")
    }
    done = max(v.number for v in latest.values()) - 1
    for number in range(done + 2, scale + 2):
        previous: dict = {}
        for goal in Goal.objects.filter(version__in=[v.pk for v in latest.values()]).order_by("version", "position"):
            previous.setdefault(goal.version_id, []).append(goal)
        previous = {case_id: previous[v.pk] for case_id, v in latest.items()}
        versions = PlanVersion.objects.bulk_create(
            PlanVersion(
                plan=latest[case.pk].plan,
                number=number,
                reviews=latest[case.pk],
                created_by=case.primary_therapist,
                concerns="Bench concerns.",
                review_summary="Bench review.",
            )
            for case in cases
        )
        Goal.objects.bulk_create(
            g
            for v, case in zip(versions, cases, strict=True)
            for g in _goals_of(v, partners[case.pk], previous=previous[case.pk])
        )
        _sign_all(versions)
        for v, case in zip(versions, cases, strict=True):
            v.plan = latest[case.pk].plan
            latest[case.pk] = v
    exercise = Exercise.objects.order_by("id").first()
    have = Assignment.objects.filter(client=partners[cases[0].pk][0]).count()
    today = timezone.localdate()
    now = timezone.now()
    for k in range(have, 2 * scale):
        starts = today - timedelta(days=7 * (2 * scale - k))
        made = Assignment.objects.bulk_create(
            Assignment(
                case=case,
                client=client,
                exercise=exercise,
                practice=exercise.practice,
                title=exercise.title,
                instructions=exercise.instructions,
                suggested_length=exercise.suggested_length,
                starts_on=starts,
                ends_on=starts + timedelta(days=7),
                assigned_by=case.primary_therapist,
            )
            for case in cases
            for client in partners[case.pk]
        )
        CheckIn.objects.bulk_create(
            CheckIn(assignment=a, tried="partly", text="Bench check-in. " * 5, sent_at=now) for a in made
        )
        if k == 2 * scale - 1:
            CheckIn.objects.bulk_create(CheckIn(assignment=a, tried="yes", text="Bench draft.") for a in made)
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would give a real database: without them the first figures after a bulk
        # fill measure a planner guessing (the dashboard took 420 ms before autovacuum's pass, 30 ms after).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"plan material at {scale}x: {PlanVersion.objects.count()} plan versions, {Goal.objects.count()} goals, "
        f"{Assignment.objects.count()} assignments, {CheckIn.objects.count()} check-ins "
        f"in {time.perf_counter() - started:.1f} s"
    )


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def plan_page_url(client, case) -> tuple[str | None, str]:
    """The plan page of `case`, once a URL named plan_detail exists (it is built beside this benchmark).

    Its arguments are not known here: each likely one is tried, and the first that answers 200 is measured.
    """
    from django.urls import NoReverseMatch, reverse

    plan = case.plan
    tried = False
    for kwargs in ({"code": case.code}, {"case_code": case.code}, {"code": plan.code}, {"plan_code": plan.code}):
        try:
            url = reverse("plan_detail", kwargs=kwargs)
        except NoReverseMatch:
            continue
        tried = True
        if client.get(url).status_code == 200:
            return url, ""
    if tried:
        return None, "plan_detail exists, but no case or plan code given to it answered 200"
    return None, "no URL named plan_detail in this build"


def measure(args, therapist, case) -> None:
    from django.test import Client as HttpClient
    from django.urls import reverse

    from clinic.notes.models import TherapySession

    client = HttpClient()
    client.force_login(therapist)
    session = TherapySession.objects.filter(case=case, note__status="signed").order_by("-starts_at").first()
    draft = TherapySession.objects.filter(case=case, note__status="draft").order_by("-starts_at").first()
    pages = {
        "dashboard": reverse("dashboard"),
        "case page": reverse("case_detail", kwargs={"code": case.code}),
        "note page": reverse("note_page", kwargs={"code": session.code}),
        "note editor": reverse("note_page", kwargs={"code": draft.code}),
    }
    plan_url, why_not = plan_page_url(client, case)
    if plan_url:
        pages["plan page"] = plan_url
    time_pages(client, pages, args.repeat)
    if not plan_url:
        print(f"{'plan page':<16} not measured: {why_not}")


def time_pages(client, pages: dict[str, str], repeat: int, **extra) -> dict[str, float]:
    """Print median and p95 server time and the query count of each page; returns the medians."""
    from django.db import connection

    print(f"{'page':<16} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    medians = {}
    for name, path in pages.items():
        client.get(path, **extra)  # warm caches and templates
        timings = []
        counter = QueryCounter()
        # A wrapper, not the query log: each request resets the log when it starts.
        with connection.execute_wrapper(counter):
            response = client.get(path, **extra)
        assert response.status_code == 200, (name, response.status_code)
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(path, **extra)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
        medians[name] = statistics.median(timings)
        print(f"{name:<16} {medians[name]:>10.2f} {p95:>8.2f} {counter.count:>8}")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--therapists", type=int, default=50)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", default="bench_notes", help="PostgreSQL database to create and drop")
    parser.add_argument(
        "--scales", default="1,10", help="plan material sizes to measure, grown in place (default 1,10)"
    )
    args = parser.parse_args()
    scales = sorted({int(x) for x in args.scales.split(",")})
    original_url = os.environ.get("DATABASE_URL", "")
    configure(args)
    therapist, case, cases, partners = fill(args)
    for scale in scales:
        grow_plan_material(cases, partners, scale=scale)
        print(f"-- plan material {scale}x")
        measure(args, therapist, case)
    drop_scratch(original_url, args.database)


def drop_scratch(original_url: str, database: str) -> None:
    """Close every connection and drop the scratch PostgreSQL database (nothing to do on SQLite)."""
    if original_url.startswith("postgres"):
        import psycopg
        from django.db import connections

        for conn in connections.all():
            conn.close()
            if getattr(conn, "pool", None) is not None:
                conn.close_pool()
        with psycopg.connect(original_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
