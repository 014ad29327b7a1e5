"""Server time of the dashboard, a case page and a note page over a large practice.

Fills a fresh database with THERAPISTS therapists, CASES couple cases and
NOTES signed, tagged notes, then requests each page REPEAT times through
Django's test client as one therapist, and prints the median and p95 server
time and the query count per page.

    DEBUG=true .venv/bin/python bench/notes.py                 # full size, SQLite file in a temp dir
    DEBUG=true .venv/bin/python bench/notes.py --notes 10000   # smaller, for a quick look
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
            # Tagged first, then signed: on PostgreSQL a signed note's tags are locked by a trigger.
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
    return therapist, own_case


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(args, therapist, case) -> None:
    from django.test import Client as HttpClient
    from django.urls import reverse

    from clinic.notes.models import TherapySession

    client = HttpClient()
    client.force_login(therapist)
    session = TherapySession.objects.filter(case=case, note__status="signed").order_by("-starts_at").first()
    pages = {
        "dashboard": reverse("dashboard"),
        "case page": reverse("case_detail", kwargs={"code": case.code}),
        "note page": reverse("note_page", kwargs={"code": session.code}),
    }
    time_pages(client, pages, args.repeat)


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
    args = parser.parse_args()
    original_url = os.environ.get("DATABASE_URL", "")
    configure(args)
    therapist, case = fill(args)
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
