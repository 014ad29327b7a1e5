"""The sign-in throttle's rows of names that are no account's go: they kept what someone typed.

From now on the throttle counts such a name under a keyed hash (clinic/accounts/typed_names.py). Its
rows are counters of a pause of LOGIN_COOLOFF_MINUTES, not a record: deleting them lifts, at most, a
pause on a name that has no account to sign in to. Rows of an account's own name stay, so a pause in
force on an account holds. (The audit log's own rows are append-only and stay as written; no page,
export or compliance export shows the name they kept.)
"""

from django.db import migrations


def forget_typed_names(apps, schema_editor) -> None:
    User = apps.get_model("accounts", "User")
    accounts = User.objects.values("username")
    for name in ("AccessAttempt", "AccessFailureLog"):
        apps.get_model("axes", name).objects.exclude(username__in=accounts).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_session_generation"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(forget_typed_names, migrations.RunPython.noop)]
