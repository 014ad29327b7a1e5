from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0009_actions_in_code"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
        ),
    ]
