import os
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from clinic.lib.backup import libpq_url


class Command(BaseCommand):
    help = "Back up, restore into a scratch database, verify row counts and signed hashes, then drop the scratch copy."

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The drill needs PostgreSQL (set DATABASE_URL to postgres://…).")
        db = connection.settings_dict
        scratch = f"{db['NAME']}_drill_{os.getpid()}"
        scratch_url = libpq_url({**db, "NAME": scratch})
        env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
        admin = psycopg.connect(
            libpq_url({**db, "NAME": "postgres"}), password=db.get("PASSWORD") or None, autocommit=True
        )
        with tempfile.TemporaryDirectory(prefix="fulcrum-drill-") as folder:
            dump = Path(folder) / "drill.dump"
            try:
                started = time.monotonic()
                call_command("backup", output=str(dump), stdout=self.stdout)
                backed_up = time.monotonic()
                admin.execute(f'CREATE DATABASE "{scratch}"')
                restore = subprocess.run(  # noqa: S603 - our own script, arguments from settings
                    [str(settings.BASE_DIR / "bin" / "restore"), str(dump), scratch_url],
                    env=env, capture_output=True, text=True,
                )  # fmt: skip
                if restore.returncode != 0:
                    raise CommandError(f"restore failed: {restore.stderr.strip()}")
                restored = time.monotonic()
                call_command(
                    "verify_restore", manifest=f"{dump}.manifest.json", database_url=scratch_url, stdout=self.stdout
                )
                verified = time.monotonic()
            finally:
                connection.close()
                from django.db import connections

                if "restored" in connections.settings:
                    connections["restored"].close()
                    if getattr(connections["restored"], "pool", None) is not None:
                        connections["restored"].close_pool()
                admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
                admin.close()
        self.stdout.write(
            f"Drill passed: backup {backed_up - started:.1f} s, restore {restored - backed_up:.1f} s, "
            f"verify {verified - restored:.1f} s; scratch database {scratch} dropped."
        )
