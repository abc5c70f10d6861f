"""Who changed a piece of reference data, when, and from what to what.

Case and form changes have their own event tables; edits to reference data made
outside the admin (a practitioner's capacity, the community services directory)
are written to the admin's change log, so both show in one history.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models


def change_record(
    *,
    actor: Any,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> LogEntry:
    """Record one change (``before`` None: the object was created)."""
    return LogEntry.objects.create(
        user_id=actor.pk,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=ADDITION if before is None else CHANGE,
        change_message=json.dumps(
            {"before": before, "after": after}, default=str, sort_keys=True
        ),
    )
