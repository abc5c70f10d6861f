"""An auditor's case grants, re-derived when a user's role or localities change
(registered with ``accounts.revisit`` in ``AuditsConfig.ready``, after
``casework`` has revisited the team places).

Outside a team place, a case grant comes only from an open audit round: the
case audits assigned to an auditor and every case of a round they moderate.
So after a change the user holds, beyond their team places, exactly the read
grants of the open rounds their new role lets them audit: none unless they are
an auditor, and any left behind by anything else are taken away.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.revisit import RoleChange
from accounts.roles import Role
from audits.models import CaseAudit, RoundStatus
from casework.grants import VIEW, case_grant, case_revoke, user_case_grants
from casework.models import Case, CaseMember


def audit_grants_revisit(change: RoleChange) -> list[str]:
    """Grant the open rounds' cases the user audits or moderates, and revoke
    every other grant that no team place gives. Returns what was removed.
    Preconditions: inside the role change's transaction, after the team places
    were revisited."""
    user = change.user
    duties: set[int] = set()
    if user.role == Role.AUDITOR:
        duties = set(
            CaseAudit.objects.filter(round__status=RoundStatus.OPEN)
            .filter(Q(auditor=user) | Q(round__moderator=user))
            .values_list("case_id", flat=True)
        )
    on_team = set(
        CaseMember.objects.filter(user=user).values_list("case_id", flat=True)
    )
    held = {(c, p) for c, p in user_case_grants(user) if c not in on_team}
    wanted = {(c, VIEW) for c in duties - on_team}
    touched = Case.objects.in_bulk(
        sorted({c for c, _ in held ^ wanted}), field_name="pk"
    )
    removed: list[str] = []
    for case_id, perm in sorted(held - wanted):
        case_revoke(user, touched[case_id], perm)
        removed.append(f"audit access to {touched[case_id]}")
    for case_id, perm in sorted(wanted - held):
        case_grant(user, touched[case_id], perm)
    return sorted(set(removed), key=removed.index)
