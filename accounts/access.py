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
    if not active_user(user) or locality_id is None:
        return False
    if getattr(user, "_remember_localities", False):
        known = getattr(user, "_locality_ids", None)
        if known is None:
            known = frozenset(user.memberships.values_list("locality_id", flat=True))
            user._locality_ids = known  # type: ignore[attr-defined]
        return locality_id in known
    return user.memberships.filter(locality_id=locality_id).exists()


def remember_localities(user: Viewer) -> None:
    """For the rest of a request: the first locality check of ``user`` reads
    all their localities and the later ones reuse them, so a page that asks
    several rules of one case (may they lead it, work on it, sign it off…)
    reads the memberships once. Only for the user object of one request: a
    membership added afterwards is not seen by this object."""
    if active_user(user):
        user._remember_localities = True  # type: ignore[attr-defined]


def manages_locality(user: Viewer | None, locality_id: int | None) -> bool:
    """An active locality manager of that locality."""
    return (
        active_user(user)
        and user.role == Role.LOCALITY_MANAGER
        and works_in_locality(user, locality_id)
    )
