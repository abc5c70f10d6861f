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


# What a page names a member of staff by (``User.display_name``).
USER_NAME_FIELDS = frozenset({"id", "email", "full_name"})


def user_fields_unread(*relations: str) -> list[str]:
    """For ``QuerySet.defer()``: every column of the users reached through
    ``relations`` (``select_related`` paths) but those they are named by, for
    a read that shows who recorded something. A column left out is still read
    if it is used, one query at a time."""
    columns = [
        f.attname
        for f in User._meta.concrete_fields
        if f.attname not in USER_NAME_FIELDS
    ]
    return [f"{relation}__{column}" for relation in relations for column in columns]
