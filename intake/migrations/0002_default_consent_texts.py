"""First versions of the consent texts. A practice replaces them from its own pages (new versions)."""

from django.db import migrations

from intake.consent_defaults import DEFAULTS


def forwards(apps, schema_editor) -> None:
    ConsentDocument = apps.get_model("intake", "ConsentDocument")
    for kind, (title, body) in DEFAULTS.items():
        ConsentDocument.objects.get_or_create(kind=kind, version=1, defaults={"title": title, "body": body})


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
