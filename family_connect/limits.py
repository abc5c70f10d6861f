"""How much one signed-in user may send: forms an hour (by the API and the pages
together) and bulk-upload rows a day. One stolen password must not flood every
triage queue; a busy school or a hardship fund's list never meets these limits.
Families (no account) are limited per address by the journey's pages instead.

Without the cache, a form goes ahead (a child's referral matters more than the
limit, as on the public form) but a list waits: lists are never urgent, and are
the one way to send hundreds of forms at once."""

from __future__ import annotations

from django.conf import settings

from accounts.models import User
from core.errors import TooMany
from core.ratelimit import Allowance, rate_take

HOUR = 60 * 60
DAY = 24 * HOUR


def _wait(seconds: int) -> str:
    if seconds >= 2 * HOUR:
        return f"{seconds // HOUR} hours"
    minutes = max(1, -(-seconds // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def forms_allowance_take(*, user: User) -> None:
    """Count one form sent by ``user``; raises TooMany past the hourly limit."""
    limit = settings.USER_FORMS_PER_HOUR
    allowance = rate_take("user-forms", str(user.pk), limit=limit, window_seconds=HOUR)
    if not allowance.allowed:
        raise TooMany(
            f"You can send at most {limit:,} forms an hour. Try again in "
            f"{_wait(allowance.retry_after)}.",
            retry_after=allowance.retry_after,
        )


def bulk_rows_allowance_take(*, user: User, rows: int) -> None:
    """Count ``rows`` new rows uploaded by ``user``; raises TooMany (taking
    nothing) when they do not fit in what is left of today's limit."""
    limit = settings.USER_BULK_ROWS_PER_DAY
    allowance: Allowance = rate_take(
        "user-bulk-rows",
        str(user.pk),
        limit=limit,
        window_seconds=DAY,
        cost=rows,
        fail_open=False,
    )
    if allowance.allowed:
        return
    if not allowance.checked:
        raise TooMany(
            "Lists cannot be uploaded at the moment. Nothing was uploaded. Try "
            "again in a few minutes.",
            retry_after=allowance.retry_after,
        )
    raise TooMany(
        f"You can upload at most {limit:,} rows a day. This file has {rows:,} new "
        f"row{'s' if rows != 1 else ''} and {allowance.remaining:,} can still be "
        f"uploaded today. Nothing was uploaded. Try again in "
        f"{_wait(allowance.retry_after)}, or upload fewer rows.",
        retry_after=allowance.retry_after,
    )
