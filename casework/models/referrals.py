"""Referrals of a person to children's social care (PRODUCT §3.3, §6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from core.codes import check_in
from core.models import TimeStampedModel
from families.models import Person

if TYPE_CHECKING:
    pass

from casework.models.cases import Case


class StepUpOutcome(models.TextChoices):
    ACCEPTED_FOR_ASSESSMENT = "accepted_for_assessment", "Accepted for assessment"
    NFA_RETURNED_TO_EARLY_HELP = (
        "nfa_returned_to_early_help",
        "No further action: back to early help",
    )
    CHILD_PROTECTION = "child_protection", "Child protection"
    OTHER = "other", "Other"


class SocialCareReferral(TimeStampedModel):
    """A referral of a person to children's social care: stepped up at triage or
    from an open case, or made elsewhere and recorded here (PRODUCT §3.3, §6)."""

    class Source(models.TextChoices):
        TRIAGE = "triage", "Stepped up at triage"
        CASE = "case", "Stepped up from an open case"
        EXTERNAL = "external", "Made outside early help"

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="social_care_referrals"
    )
    referred_at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    form = models.ForeignKey(
        "family_connect.FamilyConnectForm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="social_care_referrals",
    )
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="social_care_referrals",
    )
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(max_length=30, choices=StepUpOutcome.choices, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    # The imported episode that recorded it (a changed line replaces its own).
    episode = models.ForeignKey(
        "ImportedEpisode",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="social_care_referrals",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=["triage", "case", "external"]),
                name="social_care_referral_source_valid",
            ),
            check_in("outcome", StepUpOutcome, "social_care_referral_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.referred_at:%Y-%m-%d}"
