"""The library's first exercises in Spanish (texts in clinic/plans/library.py)."""

from django.db import migrations


def add_texts(apps, schema_editor) -> None:
    from clinic.plans.library import add_texts

    add_texts(apps.get_model("plans", "Exercise"), apps.get_model("plans", "ExerciseText"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0005_exercises_in_languages")]

    operations = [migrations.RunPython(add_texts, migrations.RunPython.noop)]
