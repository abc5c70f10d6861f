"""Reads about users."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from localities.models import Locality


def localities_for_user(user: User) -> QuerySet[Locality]:
    """The localities a user belongs to (none for a user without memberships)."""
    if not getattr(user, "is_authenticated", False):
        return Locality.objects.none()
    return Locality.objects.filter(memberships__user=user).order_by("name")
