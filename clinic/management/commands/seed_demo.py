from django.conf import settings
from django.core.management.base import BaseCommand

from clinic import demo


class Command(BaseCommand):
    help = "Create (or keep) the demo practice: staff, clients and cases. Safe to run again."

    def handle(self, *args, **options) -> None:
        logins = demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"Every demo account uses the password: {demo.DEMO_PASSWORD}")
        for login in logins:
            note = f" — {login.note}" if login.note else ""
            self.stdout.write(f"  {login.username:<11} {login.role}{note}")
        if settings.REQUIRE_2FA:
            self.stdout.write("Staff will be asked to set up two-factor sign-in at their first login.")
        else:
            self.stdout.write("Two-factor sign-in is not enforced in this run (REQUIRE_2FA=false).")
