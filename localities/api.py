"""What the API reads about localities."""

from __future__ import annotations

from rest_framework import serializers

from localities.models import Locality


def locality_param(slug: str | None) -> Locality | None:
    """The locality a ``locality`` query parameter names; None when the
    parameter is absent. An unknown slug, or an empty one, is refused (400)
    rather than read as "nowhere" or "everywhere"."""
    if slug is None:
        return None
    locality = Locality.objects.filter(slug=slug).first() if slug else None
    if locality is None:
        raise serializers.ValidationError({"locality": ["No locality has that slug"]})
    return locality
