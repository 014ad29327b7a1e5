"""What a backup must prove it kept: every table's row count and every signed record's hash.

A manifest is taken in the same database snapshot that pg_dump copies, so a
restore can be checked against it exactly, even while the practice works.
"""

import hashlib
from pathlib import Path

from django.apps import apps
from django.db import connections


def our_models():
    """Every concrete table Django manages here (ours, the audit log, sessions, two-factor devices…)."""
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


def take_manifest(using: str = "default") -> dict:
    from clinic.notes.models import Addendum, SessionNote

    counts = {m._meta.db_table: m._default_manager.using(using).count() for m in our_models()}
    notes = SessionNote.objects.using(using).filter(status=SessionNote.Status.SIGNED)
    addenda = Addendum.objects.using(using).select_related("note")
    return {
        "tables": dict(sorted(counts.items())),
        "signed_notes": {str(n.code): n.content_hash for n in notes.iterator()},
        "addenda": {str(a.code): a.content_hash for a in addenda.iterator()},
    }


def check_restore(manifest: dict, using: str) -> tuple[dict, list[str]]:
    """Compare a restored database with the manifest of its backup: (figures, problems)."""
    from clinic.notes.models import Addendum, SessionNote

    problems = []
    restored = take_manifest(using)
    for table, expected in manifest["tables"].items():
        found = restored["tables"].get(table)
        if found != expected:
            problems.append(f"table {table}: {expected} rows backed up, {found} restored")
    notes = {str(n.code): n for n in SessionNote.objects.using(using).filter(status=SessionNote.Status.SIGNED)}
    for code, expected_hash in manifest["signed_notes"].items():
        note = notes.get(code)
        if note is None:
            problems.append(f"signed note {code}: missing")
        elif note.content_hash != expected_hash:
            problems.append(f"signed note {code}: stored hash differs from the backup's")
        elif not note.verify():
            problems.append(f"signed note {code}: content does not match its hash")
    addenda = {str(a.code): a for a in Addendum.objects.using(using).select_related("note")}
    for code, expected_hash in manifest["addenda"].items():
        addendum = addenda.get(code)
        if addendum is None:
            problems.append(f"addendum {code}: missing")
        elif addendum.content_hash != expected_hash or not addendum.verify():
            problems.append(f"addendum {code}: content does not match its hash")
    figures = {
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
        "signed_notes": len(manifest["signed_notes"]),
        "addenda": len(manifest["addenda"]),
    }
    return figures, problems


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def add_database(alias: str, url: str) -> None:
    """Make a second database (a restored copy) reachable as `alias`."""
    from clinic.settings import database_config

    configured = connections.configure_settings({"default": database_config(url)})["default"]
    connections.settings[alias] = configured


def libpq_url(settings_dict: dict) -> str:
    """A libpq connection URL for pg_dump / pg_restore (the password travels in PGPASSWORD, not here)."""
    user, host, port = settings_dict.get("USER") or "", settings_dict.get("HOST") or "", settings_dict.get("PORT") or ""
    return f"postgresql://{user}@{host}{':' + str(port) if port else ''}/{settings_dict['NAME']}"
