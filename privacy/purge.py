"""The retention purge (services): remove the personal data of every record
whose retention period has ended (``privacy.retention.retention_due``), and
leave a ``PurgedRecord`` stub for each. A dry run does exactly the same work in
a transaction it then rolls back, so its counts are the purge's own."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from family_connect.models import FamilyConnectForm
from privacy.models import (
    PurgedEpisode,
    PurgedRecord,
    RetentionRecord,
    RetentionRule,
)
from privacy.removal import records_remove
from privacy.retention import Due, retention_due

logger = logging.getLogger(__name__)


@dataclass
class PurgeResult:
    now: datetime
    committed: bool
    stubs: list[PurgedRecord] = field(default_factory=list)
    removed: Counter[str] = field(default_factory=Counter)

    def count(self, record_type: str) -> int:
        return sum(1 for s in self.stubs if s.record_type == record_type)


def retention_purge(*, now: datetime, commit: bool, purged_by: str) -> PurgeResult:
    """Purge every record due at ``now``, oldest first, in one transaction: all
    of it or none. Without ``commit`` the transaction is rolled back and the
    result says what a purge would remove. Two purges never run at once (the
    retention rules are locked for the run)."""
    result = PurgeResult(now=now, committed=commit)
    with transaction.atomic():
        list(RetentionRule.objects.select_for_update())
        for due in retention_due(now).due:
            stub = _purge_one(due, now=now, purged_by=purged_by)
            result.stubs.append(stub)
            result.removed.update(stub.removed)
        if not commit:
            transaction.set_rollback(True)
    logger.info(
        "Retention purge %s %s records",
        "removed" if commit else "(dry run) would remove",
        len(result.stubs),
    )
    return result


def _purge_one(due: Due, *, now: datetime, purged_by: str) -> PurgedRecord:
    if due.record_type == RetentionRecord.CLOSED_CASE:
        forms = set(
            FamilyConnectForm.objects.filter(case_id=due.pk).values_list(
                "pk", flat=True
            )
        ) | set(
            FamilyConnectForm.objects.filter(decision__case_id=due.pk).values_list(
                "pk", flat=True
            )
        )
        removed, episodes = records_remove(forms=forms, cases=[due.pk])
    else:
        removed, episodes = records_remove(forms=[due.pk], cases=[])
    stub = PurgedRecord.objects.create(
        record_type=due.record_type,
        record=due.record,
        locality=due.locality,
        since=due.since,
        kept_until=due.kept_until,
        purged_at=now,
        purged_by=purged_by,
        removed=dict(sorted(removed.items())),
    )
    PurgedEpisode.objects.bulk_create(
        PurgedEpisode(external_id=external_id, stub=stub) for external_id in episodes
    )
    return stub
