"""Helpers for hand-written migrations."""

from django.db import migrations


def on_postgresql(create: str, drop: str) -> migrations.RunPython:
    """Run `create` (and `drop` on the way back) on PostgreSQL only: triggers SQLite does not get.

    params=None keeps PostgreSQL's own % placeholders (RAISE ... %) out of Python's formatting.
    """

    def forwards(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create, params=None)

    def backwards(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop, params=None)

    return migrations.RunPython(forwards, backwards, elidable=False)
