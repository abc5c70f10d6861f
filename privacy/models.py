"""What the data protection officer's work keeps: how long each kind of record
is kept (``RetentionRule``), the stubs the retention purge leaves
(``PurgedRecord``, ``PurgedEpisode``) and the subject access PDF jobs.

The tables were made by casework's migrations and keep their names
(``db_table``); privacy's first migration only took the models over."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from core.codes import check_in
from core.models import AppendOnlyModel, JobStatus, LeasedJob, TimeStampedModel
from families.models import Person


class RetentionRecord(models.TextChoices):
    """The kinds of record a retention period applies to."""

    CLOSED_CASE = "closed_case", "Closed cases, from their closure"
    FORM_NOT_ALLOCATED = (
        "form_not_allocated",
        "Forms decided without a case, from their receipt",
    )


class RetentionRule(TimeStampedModel):
    """How long one kind of record is kept before its personal data is purged
    (QUALITY §3); administrators change the periods in the admin."""

    record_type = models.CharField(
        max_length=30, choices=RetentionRecord.choices, unique=True
    )
    keep_months = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(12)],
        help_text="Months from the record's closure or receipt; at least 12",
    )
    note = models.TextField(blank=True)

    class Meta:
        db_table = "casework_retentionrule"
        ordering = ["record_type"]
        constraints = [
            check_in("record_type", RetentionRecord, "retention_rule_type_valid"),
            models.CheckConstraint(
                condition=models.Q(keep_months__gte=12),
                name="retention_rule_at_least_a_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.keep_months} months"


class PurgedRecord(AppendOnlyModel):
    """What is left of a record whose retention period ended: which record it
    was, when and by what it was purged, and how many rows of each kind went
    with it; no name, address, date of birth or text (QUALITY §2). Append-only:
    on PostgreSQL a trigger refuses UPDATE and DELETE (casework migrations 0012
    and 0013, which made the table)."""

    record_type = models.CharField(max_length=30, choices=RetentionRecord.choices)
    record = models.CharField(max_length=40)  # "case 12" or a form reference
    locality = models.CharField(max_length=100)
    since = models.DateField()  # the closure or receipt the period ran from
    kept_until = models.DateField()
    purged_at = models.DateTimeField(db_index=True)
    purged_by = models.CharField(max_length=254)
    removed = models.JSONField(default=dict)  # {"families.Person": 3, ...}

    class Meta:
        db_table = "casework_purgedrecord"
        ordering = ["-purged_at", "-pk"]
        constraints = [
            check_in("record_type", RetentionRecord, "purged_record_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.record} purged {self.purged_at:%Y-%m-%d}"


class PurgedEpisode(models.Model):
    """An imported episode that was purged, so importing its line again does not
    bring its personal data back (IMPORT.md identity by ``external_id``)."""

    external_id = models.CharField(max_length=64, unique=True)
    stub = models.ForeignKey(
        PurgedRecord, on_delete=models.PROTECT, related_name="episodes"
    )

    class Meta:
        db_table = "casework_purgedepisode"

    def __str__(self) -> str:
        return self.external_id


SubjectAccessPDFStatus = JobStatus


class SubjectAccessPDF(TimeStampedModel, LeasedJob):
    """One request for a person's subject access PDF, made by a worker
    (``privacy.subject_access_pdf``). The PDF holds everything about the person,
    so it is kept only for a short while (``KEEP_FOR``) for the officer who
    asked; then the bytes are wiped and the row stays as the record of the
    request. ``created_at`` is when it was asked for."""

    Status = SubjectAccessPDFStatus
    ACTIVE = (SubjectAccessPDFStatus.QUEUED, SubjectAccessPDFStatus.RUNNING)

    # A purge of the person's records takes their exports with them.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10,
        choices=SubjectAccessPDFStatus.choices,
        default=SubjectAccessPDFStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    error = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    generated_at = models.DateTimeField(null=True, blank=True)
    wiped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "casework_subjectaccesspdf"
        ordering = ["-created_at", "-pk"]
        constraints = [
            check_in(
                "status", SubjectAccessPDFStatus, "subject_access_pdf_status_valid"
            ),
            # One job at a time per person and officer: asking again while one
            # is queued or running returns it.
            models.UniqueConstraint(
                fields=["person", "requested_by"],
                condition=models.Q(status__in=["queued", "running"]),
                name="subject_access_pdf_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access PDF for person {self.person_id} ({self.status})"
