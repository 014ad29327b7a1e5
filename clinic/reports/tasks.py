"""Background PDFs on the task queue (django-tasks; a database-backed worker in production)."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from clinic.clients.models import Case
from clinic.releases.releasing import Refused
from clinic.reports.documents import client_summary_pdf, outcomes_report_pdf, practice_report_pdf
from clinic.reports.models import ReportJob
from clinic.reports.practice import RELEASE
from clinic.reports.summaries import INTERNAL_PURPOSES, PURPOSES

logger = logging.getLogger(__name__)


def produce(job: ReportJob) -> tuple[bytes, str]:
    options = job.options
    if job.kind in ("practice", "outcomes"):
        report = practice_report_pdf if job.kind == "practice" else outcomes_report_pdf
        return report(
            start=date.fromisoformat(options["from"]),
            end=date.fromisoformat(options["to"]),
            by=job.requested_by,
            version=options.get("version", RELEASE),
        )
    if job.kind == "release":
        return _release_file(job)
    case = Case.objects.get(code=options["case"])
    client = case.clients.get(code=options["client"])
    internal = set(INTERNAL_PURPOSES) | {dict(PURPOSES)[key] for key in INTERNAL_PURPOSES}
    if not (options.get("internal") or options.get("purpose") in internal):
        # Anything for outside the treating team is a reviewed release (kind "release").
        raise ValueError("a client summary job must be an internal one")
    return client_summary_pdf(case=case, client=client, options=options, by=job.requested_by)


def _release_file(job: ReportJob) -> tuple[bytes, str]:
    """A confirmed release's file, made only if it still holds what the therapist confirmed.

    Making is not handing out: the download passes the release gate again, and hands the file out only
    while the release is still confirmed as it was when this file was made (the fingerprint kept here).
    """
    from clinic.releases.models import Release
    from clinic.releases.releasing import checked_contents
    from clinic.reports.releasefiles import release_file

    release = Release.objects.select_related("case", "client").get(code=job.options["release"])
    contents = checked_contents(release)
    data, filename = release_file(contents=contents, by=job.requested_by)
    job.options = {**job.options, "fingerprint": release.confirmed_fingerprint}
    ReportJob.objects.filter(pk=job.pk).update(options=job.options)
    return data, filename


@task()
def make_report(job_id: int) -> None:
    """Make the job's PDF; a failure is recorded on the job with a message people can act on."""
    # Only a waiting job is taken: a task delivered twice, or one for a job
    # already finished, does nothing.
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now()
    )
    if not claimed:
        logger.info("report job %s is not waiting; nothing to do", job_id)
        return
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        pdf, filename = produce(job)
    except Refused as refused:
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED, error=refused.words, finished_at=timezone.now()
        )
        return
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


STALLED_MESSAGE = (
    "Making this PDF was interrupted {attempts} times (the background worker stopped). "
    "Try again; if it happens again, tell your administrator."
)


def recover_stalled(now=None) -> tuple[int, int]:
    """Queue again every job whose worker vanished mid-PDF; fail it after REPORT_JOB_ATTEMPTS tries.

    A job is stalled when it has been "being made" for longer than
    REPORT_JOB_STALL_MINUTES (a PDF takes seconds). Returns (queued again, failed).
    """
    now = now or timezone.now()
    stalled = ReportJob.objects.filter(
        status=ReportJob.Status.RUNNING,
        started_at__lt=now - timedelta(minutes=settings.REPORT_JOB_STALL_MINUTES),
    )
    requeued = failed = 0
    for job in stalled.only("pk", "attempts"):
        if job.attempts >= settings.REPORT_JOB_ATTEMPTS:
            failed += ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.RUNNING).update(
                status=ReportJob.Status.FAILED,
                error=STALLED_MESSAGE.format(attempts=job.attempts),
                finished_at=now,
            )
        elif ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.RUNNING).update(
            status=ReportJob.Status.QUEUED, started_at=None
        ):
            logger.warning("report job %s stalled after %s attempt(s); queued again", job.pk, job.attempts)
            enqueue(job)
            requeued += 1
    return requeued, failed
