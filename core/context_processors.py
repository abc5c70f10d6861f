from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "two_factor_required": settings.TWO_FACTOR_REQUIRED,
    }
