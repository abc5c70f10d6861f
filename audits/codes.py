"""The audits' code lists: round types and the default grade scale."""

from __future__ import annotations

from django.db import models


class AuditType(models.TextChoices):
    """Audit round types (PRODUCT §3.4)."""

    MONTHLY_CITYWIDE = "monthly_citywide", "Monthly city-wide"
    LOCALITY_BIMONTHLY = "locality_bimonthly", "Locality bi-monthly"
    STEPPING_IN = "stepping_in", "Stepping in"
    STEP_UP = "step_up", "Step-up"
    STEP_DOWN = "step_down", "Step-down"
    THEMED = "themed", "Themed"


class Grade(models.TextChoices):
    """The default audit grade scale, best first (PRODUCT §3.4)."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires Improvement"
    INADEQUATE = "inadequate", "Inadequate"
