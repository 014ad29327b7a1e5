import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinic.lib.backup import add_database, check_restore


class Command(BaseCommand):
    help = "Check a restored database against its backup's manifest: every row count and every signed hash."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--manifest", required=True, help="the .manifest.json written beside the dump")
        parser.add_argument("--database-url", required=True, help="the restored database, postgres://…")

    def handle(self, *args, manifest: str, database_url: str, **options) -> None:
        expected = json.loads(Path(manifest).read_text())
        add_database("restored", database_url)
        figures, problems = check_restore(expected, using="restored")
        if problems:
            listed = "\n  ".join(problems[:50])
            more = f"\n  …and {len(problems) - 50} more" if len(problems) > 50 else ""
            raise CommandError(f"The restore does not match its backup ({len(problems)} problems):\n  {listed}{more}")
        self.stdout.write(
            f"Restore verified: {figures['rows']} rows in {figures['tables']} tables match; "
            f"{figures['signed_notes']} signed notes and {figures['addenda']} addenda match their hashes."
        )
