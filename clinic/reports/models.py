import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ReportJob(models.Model):
    """A PDF made in the background. The file is kept for REPORT_TTL_HOURS, then deleted."""

    Status = JobStatus

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=30)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    options = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error = models.CharField(max_length=500, blank=True)
    # Kept in the database so every app process and worker machine sees the same file.
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When a worker last took the job; a job "being made" for longer than
    # REPORT_JOB_STALL_MINUTES lost its worker (killed, machine restarted).
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=JobStatus.values), name="reportjob_status_valid"),
        ]
        indexes = [
            # Expiry sweeps: finished jobs by age.
            models.Index(fields=["status", "finished_at"], name="reportjob_status_finished_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_status_display()})"

    @property
    def expires_at(self):
        return self.finished_at + timedelta(hours=settings.REPORT_TTL_HOURS) if self.finished_at else None

    @property
    def file_word(self) -> str:
        """What the page calls the document: a record export is a ZIP file, everything else a PDF."""
        return "ZIP file" if self.options.get("file") == "zip" or self.filename.endswith(".zip") else "PDF"

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
