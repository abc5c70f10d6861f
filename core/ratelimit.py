"""A fixed-window rate limit on the shared cache (Redis in production)."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def rate_limited(scope: str, ident: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit; True once ``ident`` has made more than ``limit`` hits in the
    current window. Fails open: if the cache is down the request goes ahead
    (a family's form matters more than the limit)."""
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{ident}:{window}"
    try:
        cache.add(key, 0, timeout=window_seconds + 5)
        hits = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window_seconds + 5)
        hits = 1
    except Exception:
        logger.warning("Rate limit cache unavailable; letting the request through")
        return False
    return hits > limit
