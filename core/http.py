"""Facts about an HTTP request that several parts of the service need."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. ``X-Real-IP`` is believed only when the deployment
    says a trusted proxy sets it (``TRUST_X_REAL_IP``); a client could send any
    value otherwise."""
    if settings.TRUST_X_REAL_IP:
        forwarded = request.META.get("HTTP_X_REAL_IP")
        if forwarded:
            return str(forwarded)
    return request.META.get("REMOTE_ADDR") or None


def is_api_request(request: HttpRequest) -> bool:
    """Whether the request is for the API, whose answers (errors included) are
    JSON rather than pages."""
    return request.path_info.startswith("/api/")
