"""What the reports do when a part below them signals (registered in ReportsConfig.ready())."""

from clinic.reports.models import ReportJob


def void_release_files(*, releases: list[str], reason: str, **kwargs) -> None:
    """Delete the stored files of these releases now; their addresses answer 410 with `reason` in words."""
    for job in ReportJob.objects.filter(kind="release", options__release__in=releases, pdf__isnull=False):
        ReportJob.objects.filter(pk=job.pk).update(pdf=None, options={**job.options, "purged": reason})
