"""Team places and their grants when a user's role or localities change
(registered with ``accounts.revisit`` in ``CaseworkConfig.ready``).

A place the new role and localities cannot hold (``grants.may_hold_team_place``)
is removed with its grants, and the case's history says so; a place that stays
gets exactly the grants of the new role (a practitioner who becomes a partner's
requester keeps the plan view, not the right to work the case).

The lead practitioner of an open case cannot simply vanish from it: an early
help manager expects every open case to have a lead who can work it, so the
change is refused, naming the cases, until they are reallocated or closed.
A closed case keeps its lead on record (``Case.lead_practitioner``); only the
team place and its grants go.
"""

from __future__ import annotations

from accounts.revisit import RoleChange
from casework import events
from casework.grants import (
    VIEW,
    WORK,
    case_grant,
    case_revoke,
    may_hold_team_place,
    may_lead_case,
    team_grants,
    team_member_delete,
    user_case_grants,
)
from casework.models import OPEN_STATUSES, Case, CaseMember
from core import clock
from core.errors import InvalidInput

GRANT_WORDS = {VIEW: "access", WORK: "the right to work"}


def team_places_revisit(change: RoleChange) -> list[str]:
    """Remove the team places (and their grants) the user can no longer hold;
    refuse while they lead an open case they could no longer work. Returns
    what was removed. Preconditions: inside the role change's transaction."""
    user = change.user
    case_ids = CaseMember.objects.filter(user=user).values("case_id")
    # Lock the cases in a fixed order, as every team change does.
    cases = Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk")
    by_pk = {case.pk: case for case in cases}
    members = list(CaseMember.objects.filter(user=user).order_by("case_id"))
    role, localities = change.role_after, change.localities_after
    leaving = [
        m
        for m in members
        if not (may_lead_case if m.is_lead else may_hold_team_place)(
            role, localities, by_pk[m.case_id]
        )
    ]
    still_led = [
        by_pk[m.case_id]
        for m in leaving
        if m.is_lead and by_pk[m.case_id].status in OPEN_STATUSES
    ]
    if still_led:
        names = ", ".join(str(case) for case in still_led)
        raise InvalidInput(
            f"{user.display_name} is the lead practitioner of {len(still_led)} open "
            f"{'case' if len(still_led) == 1 else 'cases'} that the new role or "
            f"localities could not work: {names}. Ask the locality manager to "
            "reallocate or close them first.",
            field="role",
        )
    now = clock.now()
    removed: list[str] = []
    for member in leaving:
        member.case = by_pk[member.case_id]
        team_member_delete(member)
        events.team_member_removed(
            member.case,
            actor=change.actor,
            at=now,
            user_id=user.pk,
            role_changed=True,
        ).save()
        removed.append(f"team place on {member.case}")

    held = user_case_grants(user)
    wanted = set(team_grants(user))
    for member in members:
        if member in leaving:
            continue
        case = by_pk[member.case_id]
        for perm in wanted - {p for c, p in held if c == case.pk}:
            case_grant(user, case, perm)
        for perm in {p for c, p in held if c == case.pk} - wanted:
            case_revoke(user, case, perm)
            removed.append(f"{GRANT_WORDS[perm]} on {case}")
    return removed
