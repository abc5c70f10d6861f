"""Append-only tables refuse every way of removing rows in the database,
TRUNCATE included (a row trigger never fires on TRUNCATE)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.access_log import access_log_record
from core.models import AccessLog
from family_connect.models import CrossLocalityLink
from privacy.models import PurgedRecord, RetentionRecord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Every table a migration makes append-only (``core.append_only``).
APPEND_ONLY_TABLES = [
    "core_accesslog",
    "casework_purgedrecord",
    "family_connect_crosslocalitylink",
]


def _one_row_each() -> dict[str, int]:
    access_log_record(user=UserFactory(), obj=("casework.case", 1))
    PurgedRecord.objects.create(
        record_type=RetentionRecord.values[0],
        record="case 1",
        locality="Erdington",
        since=dt.date(2019, 1, 1),
        kept_until=dt.date(2025, 1, 1),
        purged_at=timezone.now(),
        purged_by="retention_purge",
    )
    CrossLocalityLink.objects.create(
        at=timezone.now(),
        actor_id=1,
        form_id=1,
        form_reference="FC-AAAA-BBBB",
        family_id=1,
        why_flagged="The household lives in another locality.",
        reason="Moved.",
    )
    return dict.fromkeys(APPEND_ONLY_TABLES, 1)


def _counts() -> dict[str, int]:
    return {
        "core_accesslog": AccessLog.objects.count(),
        "casework_purgedrecord": PurgedRecord.objects.count(),
        "family_connect_crosslocalitylink": CrossLocalityLink.objects.count(),
    }


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_truncate_of_an_append_only_table_is_refused_and_the_rows_stay(table):
    before = _one_row_each()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The rows' deferred foreign-key checks run first, as at a commit:
        # TRUNCATE is refused outright while any are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert _counts() == before


def _tables_with_trigger(suffix: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE %s",
            [f"%{suffix}"],
        )
        return {row[0] for row in cursor.fetchall()}


def test_every_append_only_table_refuses_truncate_and_is_listed_here():
    assert _tables_with_trigger("_append_only") == set(APPEND_ONLY_TABLES)
    assert _tables_with_trigger("_refuse_truncate") == set(APPEND_ONLY_TABLES)
