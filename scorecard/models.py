"""The scorecard (PRODUCT §3.5, INDICATORS.md): the indicator registry,
partner-supplied monthly figures, and immutable releases of computed values per
locality and the city."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.codes import check_in
from core.models import ChoiceLabelsModel, JobStatus, LeasedJob, TimeStampedModel


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage"
    MEDIAN_DAYS = "median_days", "Median, days"
    MEDIAN_HOURS = "median_hours", "Median, hours"
    MEAN = "mean", "Mean score"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEUTRAL = "neutral", "Neutral"


class Source(models.TextChoices):
    COMPUTED = "computed", "Computed by the system"
    PARTNER = "partner", "Supplied monthly by a partner"


class Indicator(TimeStampedModel):
    """One row of the scorecard: its stable reference (``EH03``, ``EH20a``,
    ``EH07:domestic_abuse``), wording, unit, polarity, tolerance and owner."""

    ref = models.CharField(max_length=60, unique=True)
    title = models.CharField(max_length=300)
    definition = models.TextField()
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    tolerance = models.FloatField(
        null=True,
        blank=True,
        help_text="Change within which the direction of travel is 'no notable "
        "change'; blank for the default of the unit",
    )
    data_owner = models.CharField(max_length=200)
    source = models.CharField(
        max_length=10, choices=Source.choices, default=Source.COMPUTED
    )
    section = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "ref"]
        constraints = [
            check_in("unit", Unit, "indicator_unit_valid"),
            check_in("polarity", Polarity, "indicator_polarity_valid"),
            check_in("source", Source, "indicator_source_valid"),
        ]

    @property
    def family_ref(self) -> str:
        """The published reference a breakdown row belongs to: "EH07" for
        "EH07:domestic_abuse" (its title names the breakdown)."""
        return self.ref.split(":", 1)[0]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"


class PartnerFigure(TimeStampedModel):
    """A partner-supplied monthly value (city or one locality), as entered or
    uploaded by a performance lead."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="partner_figures"
    )
    period = models.CharField(max_length=7)  # YYYY-MM
    locality = models.ForeignKey(
        "localities.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.FloatField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "locality"],
                name="partner_figure_once_per_locality",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=models.Q(locality__isnull=True),
                name="partner_figure_once_for_the_city",
            ),
        ]

    def __str__(self) -> str:
        where = self.locality.slug if self.locality is not None else "city"
        return f"{self.indicator.ref} {self.period} {where}"


class ReleaseStatus(models.TextChoices):
    RUNNING = "running", "Being computed"
    DONE = "done", "Released"
    FAILED = "failed", "Failed"


class Release(ChoiceLabelsModel, LeasedJob):
    """One computation of a month's scorecard. Once done it never changes;
    computing the month again makes a new release."""

    Status = ReleaseStatus

    period = models.CharField(max_length=7, db_index=True)  # YYYY-MM
    status = models.CharField(
        max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.RUNNING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField()
    generated_at = models.DateTimeField(null=True, blank=True)
    code_version = models.CharField(max_length=100)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-period", "-pk"]
        constraints = [check_in("status", ReleaseStatus, "release_status_valid")]

    def __str__(self) -> str:
        return f"Scorecard {self.period} (release {self.pk})"


class Value(models.Model):
    """One indicator's value for one scope (a locality, or the city when
    ``locality`` is null) in one release, with what it was computed from
    (INDICATORS.md, settled reading 4)."""

    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, related_name="values"
    )
    ref = models.CharField(max_length=60)
    locality = models.ForeignKey(
        "localities.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.BigIntegerField(null=True, blank=True)
    provisional = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release", "ref", "locality"],
                name="value_once_per_release_and_locality",
            ),
            models.UniqueConstraint(
                fields=["release", "ref"],
                condition=models.Q(locality__isnull=True),
                name="value_once_per_release_for_the_city",
            ),
        ]
        indexes = [models.Index(fields=["ref", "locality"])]

    def __str__(self) -> str:
        return f"{self.ref} = {self.value}"


class ReleasePDF(ChoiceLabelsModel, LeasedJob):
    """The PDF of a release and the job that makes it: one per release (a
    release never changes, so neither does its PDF), rendered by a worker when
    the release is done or first asked for."""

    Status = JobStatus

    release = models.OneToOneField(
        Release, on_delete=models.PROTECT, related_name="pdf"
    )
    status = models.CharField(
        max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    requested_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    generated_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [check_in("status", JobStatus, "release_pdf_status_valid")]

    def __str__(self) -> str:
        return f"PDF of release {self.release_id}"
