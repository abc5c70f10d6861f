"""The locality teams whose practitioners' capacity triage allocates by.

The tables keep the names they had when the models lived in ``localities``."""

from __future__ import annotations

from django.db import models

from core.models import TimeStampedModel
from localities.models import Locality


class Team(TimeStampedModel):
    """A locality's early help team; its members' capacity drives allocation."""

    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(max_length=100)

    class Meta:
        db_table = "localities_team"
        ordering = ["locality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["locality", "name"], name="team_name_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.locality}: {self.name}"


class TeamMember(TimeStampedModel):
    """A practitioner in a team and how many families they can hold at once."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="team_memberships"
    )
    capacity = models.PositiveSmallIntegerField(
        default=15, help_text="Number of families this worker can lead at once."
    )

    class Meta:
        db_table = "localities_teammember"
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.user_id}"
