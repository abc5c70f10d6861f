"""Who reads the scorecard and starts runs: performance leads and locality
managers (aggregate figures only, no case data). Everyone else: 404."""

from __future__ import annotations

from accounts.access import Viewer, active_user
from accounts.roles import Role


def may_read_scorecard(user: Viewer) -> bool:
    return active_user(user) and user.role in (
        Role.PERFORMANCE_LEAD,
        Role.LOCALITY_MANAGER,
    )


def may_enter_partner_figures(user: Viewer) -> bool:
    return active_user(user) and user.role == Role.PERFORMANCE_LEAD
