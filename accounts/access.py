"""The access vocabulary every app's ``access.py`` is written in: who is signed
in and active, and who manages or works in a locality."""

from __future__ import annotations

from typing import Any

from accounts.roles import Role


def active_user(user: Any) -> bool:
    """Signed in, with an account that is still active."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
    )


def works_in_locality(user: Any, locality_id: int | None) -> bool:
    """An active user who is a member of the locality (any role)."""
    return (
        active_user(user)
        and locality_id is not None
        and user.memberships.filter(locality_id=locality_id).exists()
    )


def manages_locality(user: Any, locality_id: int | None) -> bool:
    """An active locality manager of that locality."""
    return (
        active_user(user)
        and user.role == Role.LOCALITY_MANAGER
        and works_in_locality(user, locality_id)
    )
