"""The access vocabulary every app's ``access.py`` is written in: who is signed
in and active, and who manages or works in a locality.

Access functions take the ``Viewer`` a request has (a signed-in ``User`` or
Django's anonymous user); ``active_user`` narrows it to an active ``User``, so
a rule that reads a role or a membership is checked only for one.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from typing_extensions import TypeIs

from accounts.models import User
from accounts.roles import Role

Viewer: TypeAlias = User | AnonymousUser


def active_user(user: Viewer | None) -> TypeIs[User]:
    """Signed in, with an account that is still active."""
    return isinstance(user, User) and user.is_authenticated and user.is_active


def answers_for_records(user: Viewer | None) -> bool:
    """The data protection officer, who answers for the records kept about
    people: who viewed them, subject access, retention."""
    return active_user(user) and user.role == Role.DATA_PROTECTION


def works_in_locality(user: Viewer | None, locality_id: int | None) -> bool:
    """An active user who is a member of the locality (any role)."""
    return (
        active_user(user)
        and locality_id is not None
        and user.memberships.filter(locality_id=locality_id).exists()
    )


def manages_locality(user: Viewer | None, locality_id: int | None) -> bool:
    """An active locality manager of that locality."""
    return (
        active_user(user)
        and user.role == Role.LOCALITY_MANAGER
        and works_in_locality(user, locality_id)
    )
