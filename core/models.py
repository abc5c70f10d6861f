from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.encoding import force_str

_CHOICE_LABELS: dict[Any, dict[Any, Any]] = {}


class ChoiceLabelsModel(models.Model):
    """``get_FOO_display()`` from a value → label dictionary built once per field.

    Django's own version rebuilds a hashable copy of every choice on each call,
    translating each lazy label to hash it: a list of fifty rows with two coded
    columns spent a quarter of its time there. The labels stay lazy here, so
    each call still answers in the active language."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: Any) -> str:
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            labels = _CHOICE_LABELS[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        return force_str(labels.get(value, value), strings_only=True)


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed or deleted by the
    application. The database refuses UPDATE, DELETE and TRUNCATE as well, by
    the triggers of ``core.append_only`` (PostgreSQL)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError(f"{self._meta.label} rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self._meta.label} rows cannot be deleted.")


class TimeStampedModel(ChoiceLabelsModel):
    """Base for every domain model: when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Event(ChoiceLabelsModel):
    """Who did what, and when: one row written in the same transaction as the
    change it records (STYLE "Events as a vocabulary").

    A concrete event adds its subject (a foreign key) and its ``kind``, a field
    whose choices are its app's ``events.Kind`` with a check constraint on the
    column; rows come from the builders in the app's ``events.py``, never from
    a string literal at a call site."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class JobStatus(models.TextChoices):
    """Where a background job (a ``LeasedJob``) stands."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being produced"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class LeasedJob(models.Model):
    """A background job's row with a lease (``core.jobs``): who runs it and until
    when it counts as alive. A run whose lease has lapsed belongs to a worker
    that died, and is taken over instead of waited for."""

    lease_owner = models.CharField(max_length=120, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class AccessLog(AppendOnlyModel):
    """One read of a family, person, case or form record (QUALITY §2).

    Append-only for the application: rows are never updated or deleted by it. On
    PostgreSQL a trigger refuses UPDATE and DELETE as well (migration 0002).
    """

    class Channel(models.TextChoices):
        HTML = "html", "Web page"
        API = "api", "API"
        PDF = "pdf", "PDF"
        CSV = "csv", "CSV"
        JSON = "json", "JSON export"

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        EXPORT = "export", "Exported"
        SEARCH = "search", "Searched"
        UPLOAD = "upload", "Uploaded"
        DOWNLOAD = "download", "Downloaded"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        # Users are deactivated, not deleted; if one ever is, the log keeps the id
        # and e-mail untouched (the log refuses updates).
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    user_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=["html", "api", "pdf", "csv", "json"]),
                name="accesslog_channel_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    action__in=[
                        "view",
                        "list",
                        "export",
                        "search",
                        "upload",
                        "download",
                    ]
                ),
                name="accesslog_action_valid",
            ),
        ]

    def __str__(self) -> str:
        who = self.user_email or "anonymous"
        return f"{who} {self.action} {self.object_type} {self.object_id}"


class Notification(models.Model):
    """An e-mail to send, written in the transaction of the change it reports.

    Sending is a task keyed on this row: a sender first claims the row with one
    conditional UPDATE, so a redelivered task or the sweeper never sends it while
    another sender has it, and finds ``sent_at`` set afterwards; rows whose task
    was lost (Redis or the worker down) are picked up by the sweeper. Bodies never
    carry case details beyond a reference.
    """

    key = models.CharField(
        max_length=200, unique=True, help_text="What this is about, for de-duplication."
    )
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set by the sender that is sending it now; others leave it alone until the
    # claim is old enough to mean that sender died.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="notification_unsent_idx",
            )
        ]

    def __str__(self) -> str:
        return self.key


class BenchmarkRow(models.Model):
    """One row written by the benchmark's bare insert view (the floor that form
    submission throughput is compared with). Empty outside benchmark runs."""

    data = models.JSONField()

    def __str__(self) -> str:
        return f"Benchmark row {self.pk}"
