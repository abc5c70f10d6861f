from __future__ import annotations

from django.db import models

from core.models import TimeStampedModel


class Locality(TimeStampedModel):
    """One of the city's ten early help localities (PRODUCT §2)."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    profile = models.TextField(blank=True)
    lead_organisation = models.CharField(
        max_length=200,
        blank=True,
        help_text="The voluntary sector organisation that leads it.",
    )
    constituency_code = models.CharField(
        max_length=9,
        blank=True,
        help_text="ONS code of the parliamentary constituency (pre-2024 boundaries).",
    )
    triage_email = models.EmailField(
        blank=True,
        help_text="Shared inbox told about new forms; when blank, the locality's "
        "managers are told.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


class Ward(TimeStampedModel):
    """A city ward (2018 boundaries) and the locality it belongs to; editable."""

    code = models.CharField(
        max_length=9, unique=True, help_text="ONS ward code, e.g. E05011118"
    )
    name = models.CharField(max_length=100)
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, related_name="wards"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A row of the ONS Postcode Directory: the postcode, its ward and constituency.

    The locality is resolved when asked (ward first, then constituency), so an edit
    to a ward's locality applies to every postcode in it at once.
    """

    postcode = models.CharField(
        max_length=8, primary_key=True, help_text="As 'B23 6AA'."
    )
    ward_code = models.CharField(max_length=9, blank=True, db_index=True)
    constituency_code = models.CharField(max_length=9, blank=True)
    terminated = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.postcode


class PostcodeDistrict(TimeStampedModel):
    """The fallback when no postcode row is loaded: the district (outward code)
    and the locality most of it lies in."""

    district = models.CharField(
        max_length=4, unique=True, help_text="Outward code, e.g. B23"
    )
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, related_name="postcode_districts"
    )

    class Meta:
        ordering = ["district"]

    def __str__(self) -> str:
        return self.district


class CommunityService(TimeStampedModel):
    """A service families can be signposted to; managers keep the directory
    (``triage``). Kept with the ground data, below intake: a form's decision
    (``family_connect.FormDecision``) names the service it signposted to."""

    locality = models.ForeignKey(
        Locality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="community_services",
        help_text="Empty for a service that works across the city.",
    )
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=100)
    contact = models.CharField(max_length=300)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
