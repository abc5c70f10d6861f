"""The one helper every read path calls to record who saw which record.

Views, API views, PDF and CSV exports call ``access_log_record`` (one record) or
``access_log_record_many`` (a page of a list) after resolving the objects through
the resource's ``access.py`` and before returning them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models

from core.http import client_ip
from core.models import AccessLog

if TYPE_CHECKING:
    from django.http import HttpRequest

MAX_PATH = 500


def _object_key(obj: models.Model | tuple[str, Any]) -> tuple[str, str]:
    if isinstance(obj, tuple):
        kind, pk = obj
        return str(kind), str(pk)
    return obj._meta.label_lower, str(obj.pk)


def _entry(
    *,
    user: Any,
    obj: models.Model | tuple[str, Any],
    action: str,
    channel: str,
    request: HttpRequest | None,
) -> AccessLog:
    object_type, object_id = _object_key(obj)
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AccessLog(
        user=user if authenticated else None,
        user_email=getattr(user, "email", "") if authenticated else "",
        action=action,
        channel=channel,
        object_type=object_type,
        object_id=object_id,
        path=(request.get_full_path()[:MAX_PATH] if request is not None else ""),
        ip_address=client_ip(request) if request is not None else None,
    )


def access_log_record(
    *,
    user: Any,
    obj: models.Model | tuple[str, Any],
    channel: str = AccessLog.Channel.HTML,
    action: str = AccessLog.Action.VIEW,
    request: HttpRequest | None = None,
) -> AccessLog:
    """Record one read of ``obj`` (a model instance or a ``(type, id)`` pair)."""
    entry = _entry(user=user, obj=obj, action=action, channel=channel, request=request)
    entry.save()
    return entry


def access_log_record_many(
    *,
    user: Any,
    objs: Iterable[models.Model | tuple[str, Any]],
    channel: str = AccessLog.Channel.HTML,
    action: str = AccessLog.Action.LIST,
    request: HttpRequest | None = None,
) -> int:
    """Record the reads of a page of records in one INSERT; returns the count.
    What is the same for every entry is worked out once."""
    first = _entry(
        user=user, obj=("", ""), action=action, channel=channel, request=request
    )
    shared = {
        "user_id": first.user_id,
        "user_email": first.user_email,
        "action": action,
        "channel": channel,
        "path": first.path,
        "ip_address": first.ip_address,
    }
    entries = []
    for obj in objs:
        object_type, object_id = _object_key(obj)
        entries.append(
            AccessLog(**shared, object_type=object_type, object_id=object_id)
        )
    AccessLog.objects.bulk_create(entries)
    return len(entries)


def access_log_for_object(
    obj: models.Model | tuple[str, Any],
) -> models.QuerySet[AccessLog]:
    """Who viewed a record, newest first (for the data protection officer)."""
    object_type, object_id = _object_key(obj)
    return AccessLog.objects.filter(
        object_type=object_type, object_id=object_id
    ).order_by("-at")
