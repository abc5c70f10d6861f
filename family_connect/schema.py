"""How the form API's answers appear in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension


class StatusOnlyFormShape(OpenApiSerializerExtension):
    """The status-only form has exactly its own keys. Said so in the schema, a
    whole form does not also match it, and ``oneOf`` of the two shapes picks
    one (for validators and generated clients alike)."""

    target_class = "family_connect.api.forms.FormStatusOnlySerializer"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = auto_schema._map_serializer(
            self.target, direction, bypass_extensions=True
        )
        schema["additionalProperties"] = False
        return schema
