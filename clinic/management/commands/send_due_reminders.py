from django.core.management.base import BaseCommand

from clinic.appointments.reminders import send_due


class Command(BaseCommand):
    help = "Send the appointment reminders whose time has come and that are not sent yet (a catch-up after downtime)."

    def handle(self, *args, **options):
        counts = send_due()
        summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "none due"
        self.stdout.write(f"Reminders: {summary}.")
