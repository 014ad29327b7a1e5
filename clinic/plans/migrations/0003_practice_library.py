"""The practice library's first exercises (texts in clinic/plans/library.py)."""

from django.db import migrations


def add_library(apps, schema_editor) -> None:
    from clinic.plans.library import ensure_library

    ensure_library(apps.get_model("plans", "Exercise"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_signed_plans_are_locked")]

    operations = [migrations.RunPython(add_library, migrations.RunPython.noop)]
