"""Who may triage which queue."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.roles import Role
from family_connect.access import triages_citywide
from localities.models import Locality


def triage_localities_for_user(user: Any) -> QuerySet[Locality]:
    """The localities whose queue the user runs: a locality manager's own; none
    for anyone else. Managers given city-wide triage also run the unresolved
    queue (``family_connect.access.triages_citywide``)."""
    if (
        not getattr(user, "is_authenticated", False)
        or not user.is_active
        or user.role != Role.LOCALITY_MANAGER
    ):
        return Locality.objects.none()
    return Locality.objects.filter(memberships__user=user).order_by("name")


def queue_for_user(user: Any, slug: str) -> tuple[bool, Locality | None]:
    """Whether the user may open the queue named by ``slug`` ("unresolved" for the
    city-wide one) and its locality."""
    managed = triage_localities_for_user(user)
    if slug == "unresolved":
        return triages_citywide(user), None
    locality = managed.filter(slug=slug).first()
    return locality is not None, locality
