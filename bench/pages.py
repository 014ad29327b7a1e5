"""Server time of the client's form pages against a minimal view, with production settings.

Where the load test (bench/load.py) measures the intake page's throughput
over HTTP relative to /healthz, this shows the same comparison inside one
process, without the network and the load generator, so that a change to a
page's rendering can be judged in seconds:

    .venv/bin/python bench/pages.py                # SQLite file in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/pages.py --database bench_pages

DEBUG is off, templates and static files are as in production (collected
into a temp dir); two-factor is not involved (a client without an
authenticator). It prints median and p95 server time and queries per page,
and each page's time relative to /healthz.
"""

import argparse
import os
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.notes import configure, drop_scratch, time_pages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--database", default="bench_pages", help="PostgreSQL database to create and drop")
    args = parser.parse_args()
    original_url = os.environ.get("DATABASE_URL", "")
    os.environ.update(
        DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), STATIC_ROOT=tempfile.mkdtemp(prefix="fulcrum-static-")
    )
    configure(args)

    from django.core.management import call_command
    from django.test import Client as HttpClient
    from django.urls import reverse

    from clinic.accounts.models import Role, User
    from clinic.clients.cases import open_case
    from clinic.clients.models import Case

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    therapist = User.objects.create(username="bench-therapist", role=Role.THERAPIST)
    people = [{"full_name": "Bench Client", "email": ""}, {"full_name": "Bench Partner", "email": ""}]
    case = open_case(kind=Case.Kind.COUPLE, therapist=therapist, clients=people, by=therapist)
    client = case.clients.first()
    client.user = User.objects.create(username="bench-client", role=Role.CLIENT)
    client.save(update_fields=["user"])

    http = HttpClient()
    http.force_login(client.user)
    pages = {"/healthz": reverse("healthz")}
    pages |= {f"intake page {step}": reverse("intake_section", kwargs={"step": step}) for step in (1, 4, 7)}
    pages["client home"] = reverse("client_home")
    medians = time_pages(http, pages, args.repeat, secure=True)
    minimal = medians.pop("/healthz")
    print("\nRelative to /healthz (server time only; the load test's ratio includes HTTP and is higher):")
    for name, median in medians.items():
        print(f"  {name:<16} {minimal / median:5.2f}")
    drop_scratch(original_url, args.database)


if __name__ == "__main__":
    main()
