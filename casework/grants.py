"""Object-level grants on cases, held by django-guardian in the direct
foreign-key table ``CaseUserObjectPermission``.

Two grants exist:

- ``casework.view_case`` opens the case: every member of the team around the
  family (partners see the plan view only) and, while their round is open, the
  auditors of the case;
- ``casework.change_case`` works on it (assessment, plan, reviews, notes,
  closure): practitioners and managers on the team.

The team record (``CaseMember``) and its grants change together, here, inside
the caller's transaction; ``casework.access`` reads the grants in SQL.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from guardian.shortcuts import assign_perm, remove_perm

from accounts.roles import Role
from casework.models import Case, CaseMember, CaseUserObjectPermission

if TYPE_CHECKING:
    from accounts.models import User

VIEW = "casework.view_case"
WORK = "casework.change_case"


def _codename(perm: str) -> str:
    return perm.split(".", 1)[1]


def case_grant(user: User, case: Case, perm: str) -> None:
    """Give one user one grant on one case (idempotent)."""
    assign_perm(perm, user, case)


def case_revoke(user: User, case: Case, perm: str) -> None:
    remove_perm(perm, user, case)


def has_case_grant(user: User, case: Case, perm: str) -> bool:
    """Whether the user holds the grant on the case, in one indexed query (no
    per-request permission cache, so a revoked grant stops at once)."""
    return CaseUserObjectPermission.objects.filter(
        user=user,
        content_object=case,
        permission__codename=_codename(perm),
        permission__content_type__app_label="casework",
    ).exists()


def granted(user: User, perm: str) -> Exists:
    """An ``Exists`` over the grant for filtering ``Case`` querysets in SQL."""
    return Exists(
        CaseUserObjectPermission.objects.filter(
            content_object=OuterRef("pk"),
            user=user,
            permission__codename=_codename(perm),
            permission__content_type__app_label="casework",
        )
    )


# Who may be on the team around a family: partners of any organisation, and the
# early help workers and managers of the case's locality.
TEAM_ROLES = (Role.REQUESTER, Role.PRACTITIONER, Role.LOCALITY_MANAGER)


def may_hold_team_place(role: str, locality_ids: Collection[int], case: Case) -> bool:
    """Whether a user with this role and these localities may be on the case's
    team (requesters of any organisation; practitioners and managers of the
    case's locality)."""
    if role == Role.REQUESTER:
        return True
    return role in TEAM_ROLES and case.locality_id in locality_ids


def may_lead_case(role: str, locality_ids: Collection[int], case: Case) -> bool:
    """Whether a user with this role and these localities may be the case's
    lead practitioner (a practitioner or manager of its locality, as at
    allocation)."""
    return role != Role.REQUESTER and may_hold_team_place(role, locality_ids, case)


def user_case_grants(user: User) -> set[tuple[int, str]]:
    """Every (case id, permission) the user holds, in one query."""
    return {
        (case_id, f"casework.{codename}")
        for case_id, codename in CaseUserObjectPermission.objects.filter(
            user=user, permission__content_type__app_label="casework"
        ).values_list("content_object_id", "permission__codename")
    }


def team_grants(user: User) -> tuple[str, ...]:
    """The grants a team place gives a user of this role."""
    if user.role in (Role.PRACTITIONER, Role.LOCALITY_MANAGER):
        return (VIEW, WORK)
    return (VIEW,)


def team_member_create(
    *, case: Case, user: User, added_by: User | None, is_lead: bool = False
) -> CaseMember:
    """Put a user on the team and grant what their role allows. Preconditions:
    inside the caller's transaction with the case locked; not yet a member."""
    member = CaseMember.objects.create(
        case=case, user=user, is_lead=is_lead, added_by=added_by
    )
    for perm in team_grants(user):
        case_grant(user, case, perm)
    return member


def team_member_delete(member: CaseMember) -> None:
    """Take a user off the team and revoke their team grants. Preconditions:
    inside the caller's transaction with the case locked."""
    case, user = member.case, member.user
    member.delete()
    for perm in (VIEW, WORK):
        case_revoke(user, case, perm)
