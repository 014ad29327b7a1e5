"""The backup and restore drill, run for real against PostgreSQL (pg_dump, pg_restore, a scratch database)."""

import os
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from clinic.notes.models import Addendum, PracticeTag, SessionNote, TherapySession

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are made from PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def run(args, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url(connection.settings_dict["NAME"])}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, **kw)


@pytest.fixture
def record(therapist, couple_case):
    """Signed notes and an addendum, committed so that pg_dump sees them."""
    notes = []
    for days in (9, 6, 3):
        session = TherapySession.objects.create(
            case=couple_case, starts_at=timezone.now() - timedelta(days=days), created_by=therapist
        )
        note = SessionNote.objects.create(
            session=session, author=therapist, content={"assessment": f"Named the pattern, week {days}."}
        )
        PracticeTag.objects.create(note=note, practice="naming_power", focus=2, evidence="Named it.")
        note.sign(by=therapist)
        notes.append(note)
    Addendum.add(note=notes[0], by=therapist, text="Called the next day: the pause helped.")
    return notes


@pytest.fixture
def scratch():
    """An empty database to restore into, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_scratch_{os.getpid()}"
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield url(name)
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_drill_backs_up_restores_and_verifies_every_signed_note(record):
    result = run(["bin/backup-drill"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 signed notes, 1 addenda" in result.stdout
    assert "Restore verified" in result.stdout and "3 signed notes and 1 addenda match their hashes" in result.stdout
    assert "Drill passed" in result.stdout
    with psycopg.connect(url("postgres")) as admin:
        left = admin.execute("SELECT datname FROM pg_database WHERE datname LIKE '%\\_drill\\_%'").fetchall()
    assert left == [], "the scratch database was not dropped"


def test_a_backup_is_private_and_a_changed_restore_is_caught(record, scratch, tmp_path):
    dump = tmp_path / "nightly.dump"
    made = run(["bin/backup", "--output", str(dump)])
    assert made.returncode == 0, made.stderr
    for path in (dump, Path(f"{dump}.sha256"), Path(f"{dump}.manifest.json")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path

    assert run(["bin/restore", str(dump), scratch]).returncode == 0
    again = run(["bin/restore", str(dump), scratch])
    assert again.returncode == 4 and "already has" in again.stderr

    # Someone changes a signed note in the copy behind the app's back (triggers off, as a superuser could).
    changed = str(record[1].code)
    with psycopg.connect(scratch, autocommit=True) as copy:
        copy.execute("SET session_replication_role = replica")
        copy.execute(
            "UPDATE notes_sessionnote SET content = jsonb_set(content, '{assessment}', '\"Rewritten later.\"') "
            "WHERE code = %s",
            [changed],
        )
    check = run(
        [
            sys.executable,
            "manage.py",
            "verify_restore",
            "--manifest",
            f"{dump}.manifest.json",
            "--database-url",
            scratch,
        ]
    )
    assert check.returncode != 0
    assert f"signed note {changed}: content does not match its hash" in check.stderr


def test_restore_refuses_a_dump_that_does_not_match_its_checksum(record, scratch, tmp_path):
    dump = tmp_path / "nightly.dump"
    assert run(["bin/backup", "--output", str(dump)]).returncode == 0
    with dump.open("ab") as f:
        f.write(b"\0")
    refused = run(["bin/restore", str(dump), scratch])
    assert refused.returncode == 3 and "does not match its checksum" in refused.stderr
