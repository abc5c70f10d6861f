"""Consent per person on a case: who agreed to what (the request for early help,
and sharing information with named agencies), given by whom and when, and its
withdrawal — with a manager's override of a withdrawal for safeguarding.

Each is a record written once: a consent is never edited, a withdrawal is a new
record pointing at the consent it ends, and consent given again is a new
consent. The rows go with their case when the retention purge removes it, so
the database has no append-only trigger on them; the application never
changes or deletes one (``AppendOnlyModel``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.codes import check_in
from core.models import AppendOnlyModel, ChoiceLabelsModel
from families.models import Person


class ConsentPurpose(models.TextChoices):
    EARLY_HELP = "early_help", "The request for early help"
    INFORMATION_SHARING = (
        "information_sharing",
        "Sharing information with named agencies",
    )


class ConsentGiver(models.TextChoices):
    """Who gave (or withdrew) consent for the person: themself (an adult), a
    parent or carer (for a child; always for a child under 13), or the young
    person, competent to decide for themself."""

    SELF = "self", "The person themself"
    PARENT_CARER = "parent_carer", "A parent or carer"
    COMPETENT_YOUNG_PERSON = "competent_young_person", "A competent young person"


class PersonConsent(AppendOnlyModel, ChoiceLabelsModel):
    """One person's consent to one purpose on a case, as given."""

    Purpose = ConsentPurpose
    Giver = ConsentGiver

    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, related_name="consents"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(max_length=30, choices=ConsentPurpose.choices)
    # The agencies information may be shared with, as the family named them
    # (blank when carried from a form, which asks about sharing in general).
    agencies = models.CharField(max_length=500, blank=True)
    given_by = models.CharField(max_length=30, choices=ConsentGiver.choices)
    given_by_name = models.CharField(max_length=200, blank=True)
    given_on = models.DateField()
    # The form it was carried from on allocation, if it was.
    form = models.ForeignKey(
        "family_connect.FamilyConnectForm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            check_in("purpose", ConsentPurpose, "person_consent_purpose_valid"),
            check_in("given_by", ConsentGiver, "person_consent_given_by_valid"),
            models.CheckConstraint(
                condition=~models.Q(purpose="") & ~models.Q(given_by=""),
                name="person_consent_purpose_and_giver_given",
            ),
        ]
        indexes = [models.Index(fields=["case", "person", "purpose"])]

    def __str__(self) -> str:
        return f"Consent of person {self.person_id} to {self.purpose}"


class ConsentWithdrawal(AppendOnlyModel, ChoiceLabelsModel):
    """The end of one consent: who withdrew it, when, and anything they said."""

    consent = models.OneToOneField(
        PersonConsent, on_delete=models.CASCADE, related_name="withdrawal"
    )
    withdrawn_by = models.CharField(max_length=30, choices=ConsentGiver.choices)
    withdrawn_by_name = models.CharField(max_length=200, blank=True)
    withdrawn_on = models.DateField()
    details = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            check_in(
                "withdrawn_by", ConsentGiver, "consent_withdrawal_withdrawn_by_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(withdrawn_by=""),
                name="consent_withdrawal_withdrawn_by_given",
            ),
        ]

    def __str__(self) -> str:
        return f"Withdrawal of consent {self.consent_id}"


class ConsentOverride(AppendOnlyModel):
    """A manager's decision that partners keep their access to a case despite a
    withdrawal of information-sharing consent (a safeguarding reason, always
    written). The data protection officer reviews every one."""

    withdrawal = models.OneToOneField(
        ConsentWithdrawal, on_delete=models.CASCADE, related_name="override"
    )
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="consent_override_reason_given"
            )
        ]

    def __str__(self) -> str:
        return f"Override of withdrawal {self.withdrawal_id}"
