import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from clinic.lib.backup import libpq_url, sha256_of, take_manifest

PG_DUMP = shutil.which("pg_dump") or "pg_dump"


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database with pg_dump (custom format), with a manifest of row counts and "
        "signed-note hashes taken in the same snapshot, and the dump's SHA-256. Files are readable by the owner only."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", help="the dump file (default backups/fulcrum-<UTC time>.dump)")

    def handle(self, *args, output: str | None, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Backups are made from PostgreSQL (set DATABASE_URL to postgres://…).")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        dump = Path(output or f"backups/fulcrum-{stamp}.dump").resolve()
        dump.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        env = {**os.environ, "PGPASSWORD": connection.settings_dict.get("PASSWORD") or ""}
        with transaction.atomic():
            with connection.cursor() as cursor:
                # One snapshot for the manifest and the dump: they agree even while people work.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            manifest = take_manifest()
            old_umask = os.umask(0o077)
            try:
                result = subprocess.run(  # noqa: S603 - fixed arguments from settings, no user input
                    [PG_DUMP, "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={dump}",
                     libpq_url(connection.settings_dict)],
                    env=env, capture_output=True, text=True,
                )  # fmt: skip
            finally:
                os.umask(old_umask)
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        digest = sha256_of(dump)
        manifest.update(created=stamp, database=connection.settings_dict["NAME"], dump_sha256=digest)
        for path, text in (
            (Path(f"{dump}.sha256"), f"{digest}  {dump.name}\n"),
            (Path(f"{dump}.manifest.json"), json.dumps(manifest, indent=1)),
        ):
            path.write_text(text)
            path.chmod(0o600)
        dump.chmod(0o600)
        self.stdout.write(
            f"Backed up {connection.settings_dict['NAME']} to {dump} ({dump.stat().st_size / 1e6:.1f} MB): "
            f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables, "
            f"{len(manifest['signed_notes'])} signed notes, {len(manifest['addenda'])} addenda."
        )
