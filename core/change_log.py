"""Who changed a piece of reference data, when, and from what to what.

Case and form changes have their own event tables; edits to reference data made
outside the admin (a practitioner's capacity, the community services directory)
are written to the admin's change log, so both show in one history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

# Never written to the log, whatever the model: secrets and their digests.
SECRET_FIELDS = frozenset({"password", "key", "digest", "bin_key"})


def change_record(
    *,
    actor: Any,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    object_id: Any = None,
) -> LogEntry:
    """Record one change (``before`` None: the object was created; ``after``
    None: it was deleted, and ``object_id`` keeps the id it had)."""
    if before is None:
        flag = ADDITION
    elif after is None:
        flag = DELETION
    else:
        flag = CHANGE
    return LogEntry.objects.create(
        user_id=actor.pk,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk if object_id is None else object_id),
        object_repr=str(obj)[:200],
        action_flag=flag,
        change_message=json.dumps(
            {"before": before, "after": after}, default=str, sort_keys=True
        ),
    )


def fields_of(obj: models.Model) -> dict[str, Any]:
    """An object's own column values, secrets left out, for the log."""
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.name not in SECRET_FIELDS
    }


class ChangeLoggedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every add, change and delete writes the change log
    with the object's values before and after (instead of the stock entry,
    which says only which fields changed)."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            obj._change_log_before = fields_of(stored) if stored else {}
        super().save_model(request, obj, form, change)

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        return change_record(
            actor=request.user, obj=obj, before=None, after=fields_of(obj)
        )

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        after = fields_of(obj)
        before = getattr(obj, "_change_log_before", after)
        # Inline rows (a template's questions, a team's members) are described
        # by the admin's own message.
        after_logged: dict[str, Any] = {
            k: v for k, v in after.items() if before.get(k) != v
        }
        if message:
            after_logged["admin"] = message
        return change_record(
            actor=request.user,
            obj=obj,
            before={k: before.get(k) for k in after_logged if k != "admin"},
            after=after_logged,
        )

    def log_deletions(
        self, request: HttpRequest, queryset: QuerySet | Iterable[models.Model]
    ) -> list[LogEntry]:
        return [
            change_record(
                actor=request.user,
                obj=obj,
                before=fields_of(obj),
                after=None,
                object_id=obj.pk,
            )
            for obj in queryset
        ]
