"""Background PDFs on the task queue (django-tasks; a database-backed worker in production)."""

import logging
from datetime import date

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from clinic.clients.models import Case
from clinic.reports.documents import client_summary_pdf, practice_report_pdf
from clinic.reports.models import ReportJob

logger = logging.getLogger(__name__)


def produce(job: ReportJob) -> tuple[bytes, str]:
    options = job.options
    if job.kind == "practice":
        return practice_report_pdf(
            start=date.fromisoformat(options["from"]), end=date.fromisoformat(options["to"]), by=job.requested_by
        )
    case = Case.objects.get(code=options["case"])
    client = case.clients.get(code=options["client"])
    return client_summary_pdf(case=case, client=client, options=options, by=job.requested_by)


@task()
def make_report(job_id: int) -> None:
    """Make the job's PDF; a failure is recorded on the job with a message people can act on."""
    ReportJob.objects.filter(pk=job_id).update(status=ReportJob.Status.RUNNING, attempts=F("attempts") + 1)
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        pdf, filename = produce(job)
    except Exception:
        logger.exception("report job %s failed", job.code)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED,
            error="The PDF could not be made. Try again; if it fails again, tell your administrator.",
            finished_at=timezone.now(),
        )
        return
    ReportJob.objects.filter(pk=job_id).update(
        status=ReportJob.Status.DONE, pdf=pdf, filename=filename, error="", finished_at=timezone.now()
    )


def enqueue(job: ReportJob) -> None:
    make_report.enqueue(job.pk)
