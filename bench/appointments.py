"""Server time of the calendar: a therapist's week, the practice day view and the dashboard, over a busy practice.

Fills a fresh database with THERAPISTS therapists with twenty couple cases
each and PER_WEEK appointments a week each (tests/appointments/world.py), then
measures each page REPEAT times through Django's test client and prints the
median and p95 server time and the query count: with the history at 1x
(HISTORY weeks of past appointments) and grown in place to 10x. The query
counts must not grow with the data.

    DEBUG=true .venv/bin/python bench/appointments.py                  # 50 therapists, 40 a week, SQLite temp file
    DEBUG=true .venv/bin/python bench/appointments.py --history 4      # 1x = 4 weeks, 10x = 40 weeks
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test DEBUG=true .venv/bin/python bench/appointments.py

It never touches the demo database (see bench/notes.py: a temporary SQLite
file, or a scratch PostgreSQL database created and dropped).
"""

import argparse
import importlib.util
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
spec = importlib.util.spec_from_file_location("bench_notes", HERE / "notes.py")
bench_notes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_notes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--therapists", type=int, default=50)
    parser.add_argument("--per-week", type=int, default=40)
    parser.add_argument("--history", type=int, default=12, help="weeks of past appointments at 1x")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", default="bench_calendar", help="PostgreSQL database to create and drop")
    args = parser.parse_args()
    original_url = os.environ.get("DATABASE_URL", "")
    bench_notes.configure(args)

    from django.core.management import call_command
    from django.test import Client as HttpClient
    from django.urls import reverse

    from clinic.accounts.models import Role, User
    from clinic.appointments.models import Appointment
    from tests.appointments.world import build, grow_history

    call_command("migrate", verbosity=0)
    world = build(therapists=args.therapists, per_week=args.per_week)
    admin = User.objects.create(username="calendar-bench-admin", role=Role.ADMIN)
    therapist = world.therapists[0]
    day = world.monday.isoformat()
    for scale in (1, 10):
        grow_history(world, args.history * scale - world.history_weeks)
        print(f"-- history {scale}x: {world.history_weeks} weeks, {Appointment.objects.count()} appointments")
        staff = HttpClient()
        staff.force_login(therapist)
        bench_notes.time_pages(
            staff,
            {
                "week view": reverse("calendar_week_of", args=[day]),
                "day view": reverse("calendar_day_of", args=[day]),
                "dashboard": reverse("dashboard"),
            },
            args.repeat,
        )
        office = HttpClient()
        office.force_login(admin)
        bench_notes.time_pages(office, {"practice day": reverse("practice_calendar_of", args=[day])}, args.repeat)
    bench_notes.drop_scratch(original_url, args.database)


if __name__ == "__main__":
    main()
