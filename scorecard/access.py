"""Who reads the scorecard and starts runs: performance leads and locality
managers (aggregate figures only, no case data). Everyone else: 404."""

from __future__ import annotations

from typing import Any

from accounts.roles import Role


def may_read_scorecard(user: Any) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in (Role.PERFORMANCE_LEAD, Role.LOCALITY_MANAGER)
    )


def may_enter_partner_figures(user: Any) -> bool:
    return may_read_scorecard(user) and user.role == Role.PERFORMANCE_LEAD
