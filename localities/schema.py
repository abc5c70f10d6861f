"""The API schema's ``locality`` parameters: one of the localities' slugs."""

from __future__ import annotations

import importlib
from typing import Any

from django.db import DatabaseError

from localities.models import Locality


def _locality_slugs() -> list[str]:
    """The localities' slugs, as the database holds them; where the database
    cannot be read (building the schema offline), those the reference data
    loads."""
    try:
        return list(Locality.objects.order_by("slug").values_list("slug", flat=True))
    except (DatabaseError, RuntimeError):
        loaded = importlib.import_module(
            "localities.migrations.0002_load_localities_wards_districts"
        )
        return sorted(row["slug"] for row in loaded.LOCALITIES)


def locality_parameters(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook: every ``locality`` query
    parameter takes a locality's slug."""
    slugs = _locality_slugs()
    if not slugs:
        return result
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "locality":
                    parameter.setdefault("schema", {"type": "string"})["enum"] = slugs
    return result
