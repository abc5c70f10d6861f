"""Postcode normalisation and the postcode → locality lookup (PRODUCT §2)."""

from __future__ import annotations

import re

from localities.models import Locality, Postcode, PostcodeDistrict, Ward

# The UK postcode shape: outward code (area letters, district digits and an optional
# letter) then inward code (a digit and two letters).
_POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def postcode_normalise(raw: str | None) -> str | None:
    """``' b23 6aa '`` → ``'B23 6AA'``; None when it is not a UK postcode shape."""
    if not raw or not isinstance(raw, str):
        return None
    compact = re.sub(r"\s+", "", raw).upper()
    match = _POSTCODE_RE.match(compact)
    if not match:
        return None
    return f"{match[1]} {match[2]}"


def postcode_district(postcode: str) -> str:
    """The outward code of a normalised postcode: ``'B23 6AA'`` → ``'B23'``."""
    return postcode.split(" ", 1)[0]


def locality_for_postcode(postcode: str | None) -> Locality | None:
    """The locality a home postcode lies in, or None when it cannot be resolved.

    Postcode row → its ward's locality, else its constituency's locality; no row →
    the district fallback; malformed, terminated or unknown → None.
    """
    normalised = postcode_normalise(postcode)
    if normalised is None:
        return None
    row = Postcode.objects.filter(postcode=normalised).first()
    if row is not None:
        if row.terminated:
            return None
        ward = (
            Ward.objects.select_related("locality").filter(code=row.ward_code).first()
        )
        if ward is not None:
            return ward.locality
        if row.constituency_code:
            found = Locality.objects.filter(
                constituency_code=row.constituency_code
            ).first()
            if found is not None:
                return found
        return None
    fallback = (
        PostcodeDistrict.objects.select_related("locality")
        .filter(district=postcode_district(normalised))
        .first()
    )
    return fallback.locality if fallback else None
