"""A fixed-window rate limit on the shared cache (Redis in production)."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)

# How long to ask a caller to wait when the limit cannot be checked at all.
UNCHECKED_RETRY_SECONDS = 60


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    # Seconds to the end of the current window (what ``Retry-After`` says).
    retry_after: int
    # What is left in this window once this request is counted (or refused).
    remaining: int
    # False when the cache could not be reached and nothing was counted.
    checked: bool = True


def rate_take(
    scope: str,
    ident: str,
    *,
    limit: int,
    window_seconds: int,
    cost: int = 1,
    fail_open: bool = True,
) -> Allowance:
    """Take ``cost`` from ``ident``'s allowance of ``limit`` in the current
    window. A refused request takes nothing, so what is counted is what went
    ahead. If the cache is down, ``fail_open`` decides: let the request through
    (and log it) or refuse it for a minute."""
    now = time.time()
    window = int(now // window_seconds)
    retry_after = max(1, math.ceil((window + 1) * window_seconds - now))
    key = f"ratelimit:{scope}:{ident}:{window}"
    try:
        cache.add(key, 0, timeout=window_seconds + 5)
        try:
            used = cache.incr(key, cost)
        except ValueError:  # expired between add and incr
            cache.set(key, cost, timeout=window_seconds + 5)
            used = cost
        if used > limit:
            cache.decr(key, cost)
            return Allowance(False, retry_after, max(0, limit - used + cost))
    except Exception:
        logger.warning(
            "Rate limit cache unavailable; %s the request",
            "letting through" if fail_open else "refusing",
        )
        if fail_open:
            return Allowance(True, retry_after, limit, checked=False)
        return Allowance(False, UNCHECKED_RETRY_SECONDS, 0, checked=False)
    return Allowance(True, retry_after, limit - used)
