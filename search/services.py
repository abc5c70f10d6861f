"""Search writes: the access log entries of a search."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from accounts.access import Viewer
from core.access_log import access_log_record_many
from core.models import AccessLog

if TYPE_CHECKING:
    from django.http import HttpRequest

SEARCH_OBJECT = "search"


def search_log(
    *,
    user: Viewer,
    shown: Iterable[Any],
    channel: str = AccessLog.Channel.HTML,
    request: HttpRequest | None = None,
) -> int:
    """Record a search and every record its answer shows, with the action
    ``search``, in one INSERT whatever the number of results.

    The search itself is an entry of type ``search`` whose id is the number
    of records shown; what was searched for is in the entries' path, as for
    every read. Returns the number of entries written."""
    records = list(shown)
    return access_log_record_many(
        user=user,
        objs=[(SEARCH_OBJECT, len(records)), *records],
        channel=channel,
        action=AccessLog.Action.SEARCH,
        request=request,
    )
