"""Reads about users."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import ApiToken, User
from localities.models import Locality


def localities_for_user(user: User) -> QuerySet[Locality]:
    """The localities a user belongs to (none for a user without memberships)."""
    if not getattr(user, "is_authenticated", False):
        return Locality.objects.none()
    return Locality.objects.filter(memberships__user=user).order_by("name")


def api_tokens_of_user(user: User) -> QuerySet[ApiToken]:
    """A user's own API tokens, newest first: the only tokens a user may see or
    revoke (administrators manage the others in the admin)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
