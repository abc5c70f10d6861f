"""Multi-agency case audits (PRODUCT §3.4): templates, rounds, sampled case
audits with their grades, moderation and follow-up actions, and the monthly
audit report."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from audits import events
from audits.codes import AuditType
from core.codes import check_in
from core.models import (
    ChoiceLabelsModel,
    Event,
    JobStatus,
    LeasedJob,
    TimeStampedModel,
)


class AuditGrade(TimeStampedModel):
    """One step of the grade scale, best first. The codes are stable (imports
    and the API use them); administrators may reword the labels and reorder."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField()
    good = models.BooleanField(
        default=False, help_text="Counts as Outstanding or Good in the indicators"
    )

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label


def _grade() -> models.ForeignKey:
    """A grade on the scale, by its code (blank until given)."""
    return models.ForeignKey(
        AuditGrade,
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class AuditTemplate(TimeStampedModel):
    """The domains and questions an audit is graded on. A version that an audit
    has used never changes: editing it makes the next version."""

    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    current = models.BooleanField(
        default=True, help_text="The version new audit rounds use"
    )

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"], name="audit_template_version_unique"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(current=True),
                name="audit_template_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class AuditDomain(models.Model):
    template = models.ForeignKey(
        AuditTemplate, on_delete=models.CASCADE, related_name="domains"
    )
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["template", "position"]

    def __str__(self) -> str:
        return self.title


class AuditQuestion(models.Model):
    domain = models.ForeignKey(
        AuditDomain, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["domain", "position"]

    def __str__(self) -> str:
        return self.text


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Being set up"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class AuditRound(TimeStampedModel):
    """A round of audits: its type and period, the localities it samples from,
    how many cases from each, its auditors and its moderator."""

    Status = RoundStatus

    type = models.CharField(max_length=30, choices=AuditType.choices)
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    localities: models.ManyToManyField = models.ManyToManyField(
        "localities.Locality", related_name="audit_rounds"
    )
    sample_size = models.PositiveSmallIntegerField(
        help_text="Cases drawn from each locality"
    )
    due_on = models.DateField()
    template = models.ForeignKey(
        AuditTemplate, on_delete=models.PROTECT, related_name="rounds"
    )
    auditors: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="audit_rounds"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="moderated_rounds",
    )
    status = models.CharField(
        max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    seed = models.BigIntegerField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            check_in("type", AuditType, "audit_round_type_valid"),
            check_in("status", RoundStatus, "audit_round_status_valid"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="audit_round_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(sample_size__gte=1), name="audit_round_sample_size"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CaseAuditStatus(models.TextChoices):
    ASSIGNED = "assigned", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Waiting for moderation"
    FINALISED = "finalised", "Finalised"


class CaseAudit(TimeStampedModel):
    """One case's audit. ``grade`` is the auditor's; a moderator may change it
    (``moderated_grade`` with a reason, both kept); ``final_grade`` is what the
    reports count. Imported history has no round."""

    Status = CaseAuditStatus

    round = models.ForeignKey(
        AuditRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audits",
    )
    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, related_name="audits"
    )
    # The case's locality and the round's type, kept for reporting.
    locality = models.ForeignKey(
        "localities.Locality", on_delete=models.PROTECT, related_name="+"
    )
    type = models.CharField(max_length=30, choices=AuditType.choices)
    template = models.ForeignKey(
        AuditTemplate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audits",
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_audits"
    )
    status = models.CharField(
        max_length=20,
        choices=CaseAuditStatus.choices,
        default=CaseAuditStatus.ASSIGNED,
        db_index=True,
    )
    assigned_at = models.DateTimeField()
    grade = _grade()
    strengths = models.TextField(blank=True)
    improvements = models.TextField(blank=True)
    family_feedback_sought = models.BooleanField(default=False)
    family_feedback = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    moderated_grade = _grade()
    moderation_reason = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    final_grade = _grade()
    finalised_at = models.DateTimeField(null=True, blank=True, db_index=True)
    external_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        constraints = [
            check_in("type", AuditType, "case_audit_type_valid"),
            check_in("status", CaseAuditStatus, "case_audit_status_valid"),
            models.UniqueConstraint(
                fields=["round", "case"], name="case_audit_once_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status="finalised",
                    final_grade__isnull=False,
                    finalised_at__isnull=False,
                )
                | (
                    ~models.Q(status="finalised")
                    & models.Q(final_grade__isnull=True, finalised_at__isnull=True)
                ),
                name="case_audit_final_grade_when_finalised",
            ),
            models.CheckConstraint(
                condition=models.Q(moderated_grade__isnull=True)
                | ~models.Q(moderation_reason=""),
                name="case_audit_moderation_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["case", "assigned_at"])]

    def __str__(self) -> str:
        return f"Audit of case {self.case_id}"


class AuditAnswer(models.Model):
    """The grade (and a comment) for one question of the audit's template."""

    audit = models.ForeignKey(
        CaseAudit, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        AuditQuestion, on_delete=models.PROTECT, related_name="answers"
    )
    grade = _grade()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "question"], name="audit_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.audit_id} question {self.question_id}: {self.grade_id}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class AuditAction(ChoiceLabelsModel):
    """A follow-up action the audit asks for, with its owner and due date."""

    audit = models.ForeignKey(
        CaseAudit, on_delete=models.CASCADE, related_name="actions"
    )
    what = models.CharField(max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [check_in("status", ActionStatus, "audit_action_status_valid")]


class AuditEvent(Event):
    """Who did what to a round or a case audit, written in the same transaction.
    The kinds and their builders are in ``audits.events``."""

    round = models.ForeignKey(
        AuditRound,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    audit = models.ForeignKey(
        CaseAudit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(max_length=40, choices=events.Kind.choices)

    class Meta(Event.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=events.Kind.values),
                name="audit_event_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


ReportStatus = JobStatus


class AuditReport(TimeStampedModel, LeasedJob):
    """The monthly audit PDF: one job row per month, so a second run of the
    job (beat, a retry, a redelivery, a manager's click) finds the first."""

    Status = ReportStatus

    period = models.CharField(max_length=7, unique=True)  # YYYY-MM
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    generated_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-period"]
        constraints = [check_in("status", ReportStatus, "audit_report_status_valid")]

    def __str__(self) -> str:
        return f"Audit report {self.period}"
