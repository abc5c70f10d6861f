"""Who may triage which queue, and so decide which forms."""

from __future__ import annotations

from typing import Any

from accounts.access import Viewer, active_user, manages_locality, remembered
from accounts.models import User
from accounts.roles import Role
from family_connect.access import triages_citywide
from family_connect.models import FamilyConnectForm
from localities.models import Locality


def triage_localities_for_user(user: Viewer) -> list[Locality]:
    """The localities whose queue the user runs, by name: a locality manager's
    own; none for anyone else. Managers given city-wide triage also run the
    unresolved queue (``family_connect.access.triages_citywide``). Read once
    for a request's user."""
    if not active_user(user) or user.role != Role.LOCALITY_MANAGER:
        return []
    return remembered(
        user,
        "triage_localities",
        lambda: list(Locality.objects.filter(memberships__user=user).order_by("name")),
    )


def queue_for_user(user: Viewer, slug: str) -> tuple[bool, Locality | None]:
    """Whether the user may open the queue named by ``slug`` ("unresolved" for the
    city-wide one) and its locality."""
    if slug == "unresolved":
        return triages_citywide(user), None
    locality = next(
        (each for each in triage_localities_for_user(user) if each.slug == slug),
        None,
    )
    return locality is not None, locality


def may_decide(actor: Any, form: FamilyConnectForm) -> bool:
    """Whether the user runs the queue this form is in (its locality's, or the
    city-wide unresolved one)."""
    return manages(actor, form.locality_id)


def manages(actor: User, locality_id: int | None) -> bool:
    """Whether the user runs the queue of the locality (``None``: the city-wide
    unresolved queue)."""
    if locality_id is None:
        return (
            active_user(actor)
            and actor.role == Role.LOCALITY_MANAGER
            and triages_citywide(actor)
        )
    return manages_locality(actor, locality_id)
