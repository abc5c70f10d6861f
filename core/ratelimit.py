"""A fixed-window rate limit on the shared cache (Redis in production)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or "-"


def rate_limited(scope: str, ident: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit; True once ``ident`` has made more than ``limit`` hits in the
    current window."""
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{ident}:{window}"
    cache.add(key, 0, timeout=window_seconds + 5)
    try:
        hits = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window_seconds + 5)
        hits = 1
    return hits > limit
