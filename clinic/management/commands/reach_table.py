from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from clinic.accounts import reach


class Command(BaseCommand):
    help = (
        "Print the table of what each role may open of each kind of record (clinic/accounts/reach.py), "
        "or, with --write, put it into README.md between its markers."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--write", action="store_true", help="Rewrite the table in README.md.")

    def handle(self, *args, write: bool = False, **options) -> None:
        if not write:
            self.stdout.write(reach.markdown(), ending="")
            return
        readme = Path(settings.BASE_DIR) / "README.md"
        before = readme.read_text(encoding="utf-8")
        after = reach.with_table(before)
        if after != before:
            readme.write_text(after, encoding="utf-8")
        self.stdout.write("README.md: the table is up to date." if after == before else "README.md: table rewritten.")
