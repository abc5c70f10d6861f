"""The professionals around a family who are not on the team: the GP, the
school, the health visitor, a social worker. The team works with them, so the
case keeps who they are and how to reach them."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models

from core.codes import check_in
from core.models import TimeStampedModel


class ContactKind(models.TextChoices):
    GP = "gp", "GP"
    SCHOOL = "school", "School"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    SOCIAL_WORKER = "social_worker", "Social worker"
    OTHER = "other", "Other"


class CaseContact(TimeStampedModel):
    """A professional contact on a case. Added and corrected through
    ``casework.services.contacts``: each change is a case event and is in the
    change log with its values before and after."""

    Kind = ContactKind

    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, related_name="contacts"
    )
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.CharField(max_length=254, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [
            check_in("kind", ContactKind, "case_contact_kind_valid"),
            models.CheckConstraint(
                condition=~models.Q(kind="") & ~models.Q(name=""),
                name="case_contact_kind_and_name_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def tel(self) -> str:
        """The number for a ``tel:`` link: digits and a leading +, without the
        "(0)" some write after +44."""
        return re.sub(r"[^0-9+]", "", self.phone.replace("(0)", ""))
