from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from clinic.reports.models import ReportJob


class Command(BaseCommand):
    help = "Delete background PDFs older than REPORT_TTL_HOURS (run it hourly, e.g. from cron)."

    def handle(self, *args, **options) -> None:
        cutoff = timezone.now() - timedelta(hours=settings.REPORT_TTL_HOURS)
        deleted, _ = ReportJob.objects.filter(finished_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} expired PDF(s).")
