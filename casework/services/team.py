"""The team around the family (services): who is on it, added and taken off
with their grants (``casework.grants``)."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from casework import events
from casework.grants import (
    TEAM_ROLES,
    may_hold_team_place,
    team_member_create,
    team_member_delete,
)
from casework.models import OPEN_STATUSES, Case, CaseMember
from core import clock
from core.errors import Conflict, InvalidInput


def case_member_add(*, case_id: int, actor: User, email: str) -> CaseMember:
    """Add a user from any organisation to the team around the family.
    Preconditions: the caller checked ``access.may_work_on``."""
    member_user = User.objects.filter(
        email__iexact=(email or "").strip(), is_active=True, role__in=TEAM_ROLES
    ).first()
    if member_user is None:
        raise InvalidInput(
            "No partner or early help worker has this e-mail address", field="email"
        )
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status not in OPEN_STATUSES:
            raise Conflict("The case is closed.")
        if not may_hold_team_place(
            member_user.role,
            set(member_user.memberships.values_list("locality_id", flat=True)),
            case,
        ):
            raise InvalidInput(
                f"{member_user.display_name} works in another locality: ask their "
                "manager to transfer the case, or add a partner instead",
                field="email",
            )
        if CaseMember.objects.filter(case=case, user=member_user).exists():
            raise InvalidInput(
                f"{member_user.display_name} is already on the team", field="email"
            )
        member = team_member_create(case=case, user=member_user, added_by=actor)
        events.team_member_added(case, actor=actor, at=now, user=member_user).save()
    return member


def case_member_remove(*, case_id: int, actor: User, member_id: int) -> None:
    """Take someone off the team; the lead practitioner cannot be removed (change
    the lead instead)."""
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status not in OPEN_STATUSES:
            raise Conflict("The case is closed.")
        member = (
            CaseMember.objects.select_related("user")
            .filter(case=case, pk=member_id)
            .first()
        )
        if member is None:
            raise InvalidInput("That person is not on the team")
        if member.is_lead:
            raise InvalidInput("The lead practitioner cannot be taken off the team")
        user_id = member.user_id
        team_member_delete(member)
        events.team_member_removed(case, actor=actor, at=now, user_id=user_id).save()
