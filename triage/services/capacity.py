"""How many families each practitioner of a locality can lead at once, which
triage allocates by.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from core.change_log import change_record
from core.errors import InvalidInput
from localities.models import Locality
from triage.models import Team, TeamMember

MAX_CAPACITY = 60


def practitioner_capacity_set(
    *, locality: Locality, practitioner_id: int, capacity: int, actor: object
) -> TeamMember:
    """Set how many families a practitioner of the locality can lead at once.
    Practitioners without a team join the locality's default team. Precondition:
    the caller runs the locality (``triage.access.queue_for_user``)."""
    if not 0 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(
            f"Capacity must be a number from 0 to {MAX_CAPACITY}", field="capacity"
        )
    practitioner = User.objects.filter(
        pk=practitioner_id,
        role=Role.PRACTITIONER,
        is_active=True,
        memberships__locality=locality,
    ).first()
    if practitioner is None:
        raise InvalidInput(
            "Choose a practitioner of this locality", field="practitioner"
        )
    with transaction.atomic():
        member = (
            TeamMember.objects.select_for_update()
            .filter(user=practitioner, team__locality=locality)
            .first()
        )
        before = None
        if member is None:
            team, _ = Team.objects.get_or_create(
                locality=locality, name=f"{locality.name} early help team"
            )
            member = TeamMember(team=team, user=practitioner)
        else:
            before = {"capacity": member.capacity}
        member.capacity = capacity
        member.save()
        change_record(
            actor=actor, obj=member, before=before, after={"capacity": capacity}
        )
    return member
