"""The case's PDFs: Our Family Plan for the family, and the case summary for the
team. Each is made by a worker (``casework.services.case_pdfs``), never in a
web request (QUALITY §3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from casework.models.cases import Case
from core.codes import check_in
from core.models import JobStatus, LeasedJob, TimeStampedModel


class CasePDFKind(models.TextChoices):
    PLAN = "plan", "Our Family Plan"
    SUMMARY = "summary", "Case summary"


class CasePDF(TimeStampedModel, LeasedJob):
    """One PDF of a case, asked for by someone who may download it. Anyone who
    may download that kind of PDF of the case follows the same job, so asking
    twice while it is being made makes one PDF. The bytes are kept for a short
    while (``KEEP_FOR``), then wiped; the row stays as the record that it was
    made and for whom. ``created_at`` is when it was asked for."""

    Kind = CasePDFKind
    Status = JobStatus
    ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pdfs")
    kind = models.CharField(max_length=10, choices=CasePDFKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    error = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    generated_at = models.DateTimeField(null=True, blank=True)
    wiped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            check_in("kind", CasePDFKind, "case_pdf_kind_valid"),
            check_in("status", JobStatus, "case_pdf_status_valid"),
            # One job being made at a time per case and kind: asking again
            # while one is queued or running returns it.
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(status__in=["queued", "running"]),
                name="case_pdf_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} PDF of case {self.case_id} ({self.status})"
