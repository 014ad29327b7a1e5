import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clinic.accounts.models import Role, User


class Command(BaseCommand):
    help = "Create the first practice admin (asks for the password, or reads it from --password-stdin)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    def handle(self, *args, username: str, email: str, first_name: str, last_name: str, **options) -> None:
        if User.objects.filter(username=username).exists():
            raise CommandError(f"An account called {username!r} already exists.")
        user = User(username=username, email=email, first_name=first_name, last_name=last_name, role=Role.ADMIN)
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(f"Admin {username} created. They set up two-factor sign-in at first login.")
        )
