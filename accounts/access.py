"""The access vocabulary every app's ``access.py`` is written in: who is signed
in and active, and who manages or works in a locality.

Access functions take the ``Viewer`` a request has (a signed-in ``User`` or
Django's anonymous user); ``active_user`` narrows it to an active ``User``, so
a rule that reads a role or a membership is checked only for one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
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
    if getattr(user, REMEMBER, False):
        return locality_id in locality_ids(user)
    return user.memberships.filter(locality_id=locality_id).exists()


def locality_ids(user: User) -> frozenset[int]:
    """The ids of the localities the user is a member of (any role): read once
    for a request's user (``remember_for_request``), else on every call."""
    return remembered(
        user,
        "locality_ids",
        lambda: frozenset(user.memberships.values_list("locality_id", flat=True)),
    )


def locality_scope(user: User) -> frozenset[int] | QuerySet[Any, Any]:
    """The user's localities for a filter's ``locality_id__in``: the set read
    once for a request's user (``remember_for_request``), which later checks
    of the same request reuse; otherwise a subquery, which costs no query of
    its own."""
    if getattr(user, REMEMBER, False):
        return locality_ids(user)
    return user.memberships.values("locality_id")


def has_localities(user: User) -> bool:
    """Whether the user is a member of any locality."""
    if getattr(user, REMEMBER, False):
        return bool(locality_ids(user))
    return user.memberships.exists()


REMEMBER = "_remember_for_request"
T = TypeVar("T")


def remember_for_request(user: Viewer) -> None:
    """Mark the user object of one request (the middleware does, for every
    signed-in request and API token): what a page asks of the user several
    times — their localities, the queues they run — is read once and reused.
    Only for that object, which lives as long as its request: a membership
    added afterwards is not seen by it."""
    if active_user(user):
        setattr(user, REMEMBER, True)


def remembered(user: User, key: str, read: Callable[[], T]) -> T:
    """``read()`` once per key for a request's user (``remember_for_request``);
    every time for any other user object."""
    if not getattr(user, REMEMBER, False):
        return read()
    known: dict[str, Any] = user.__dict__.setdefault("_remembered", {})
    if key not in known:
        known[key] = read()
    return cast(T, known[key])


def manages_locality(user: Viewer | None, locality_id: int | None) -> bool:
    """An active locality manager of that locality."""
    return (
        active_user(user)
        and user.role == Role.LOCALITY_MANAGER
        and works_in_locality(user, locality_id)
    )
