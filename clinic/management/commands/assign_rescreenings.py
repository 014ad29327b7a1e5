from django.core.management.base import BaseCommand

from assessments.rescreening import assign_due
from assessments.tasks import assign_rescreenings


class Command(BaseCommand):
    help = (
        "Assign the power questionnaire to every client due for it again (RESCREEN_WEEKS after their last "
        "answers). Run it daily, e.g. from cron; running it twice assigns nothing more."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="put the work on the task queue for the worker instead"
        )

    def handle(self, *args, **options) -> None:
        if options["enqueue"]:
            assign_rescreenings.enqueue()
            self.stdout.write("Queued the rescreening run for the background worker.")
            return
        self.stdout.write(f"Assigned {assign_due()} questionnaire(s) due again.")
