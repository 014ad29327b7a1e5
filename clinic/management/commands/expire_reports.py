from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from clinic.reports.models import ReportJob
from clinic.reports.tasks import recover_stalled


class Command(BaseCommand):
    help = (
        "Delete background PDFs older than REPORT_TTL_HOURS and queue again those whose worker "
        "stopped mid-PDF (run it every few minutes, e.g. from cron)."
    )

    def handle(self, *args, **options) -> None:
        requeued, failed = recover_stalled()
        self.stdout.write(f"Queued again {requeued} interrupted PDF(s); {failed} failed after their last try.")
        cutoff = timezone.now() - timedelta(hours=settings.REPORT_TTL_HOURS)
        deleted, _ = ReportJob.objects.filter(finished_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} expired PDF(s).")
