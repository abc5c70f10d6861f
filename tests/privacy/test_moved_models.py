"""The retention rules, purge stubs and subject access PDF jobs moved from
casework to privacy with their tables and content types unchanged: the change
log of a retention rule and the Administrators group's permissions on it
follow the model."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from accounts.roles import ADMINISTRATORS_GROUP
from core.change_log import change_record, fields_of
from privacy.models import PurgedEpisode, PurgedRecord, RetentionRule, SubjectAccessPDF
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MOVED = [RetentionRule, PurgedRecord, PurgedEpisode, SubjectAccessPDF]
content_types = importlib.import_module("privacy.migrations.0002_content_types")


def labels(app_label: str) -> set[str]:
    return set(
        ContentType.objects.filter(
            app_label=app_label, model__in=content_types.MODELS
        ).values_list("model", flat=True)
    )


def as_before_the_move() -> dict[str, int]:
    """The content types as a database migrated before the move has them."""
    ContentType.objects.filter(
        app_label="privacy", model__in=content_types.MODELS
    ).update(app_label="casework")
    ContentType.objects.clear_cache()
    return dict(
        ContentType.objects.filter(app_label="casework").values_list("model", "pk")
    )


def test_the_tables_keep_their_names():
    assert [model._meta.db_table for model in MOVED] == [
        "casework_retentionrule",
        "casework_purgedrecord",
        "casework_purgedepisode",
        "casework_subjectaccesspdf",
    ]
    tables = set(connection.introspection.table_names())
    assert {model._meta.db_table for model in MOVED} <= tables
    assert not {t for t in tables if t.startswith("privacy_")}


def test_a_migrated_database_has_the_content_types_under_privacy():
    assert labels("privacy") == set(content_types.MODELS)
    assert labels("casework") == set()
    group = Group.objects.get(name=ADMINISTRATORS_GROUP)
    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert {
        "privacy.view_retentionrule",
        "privacy.change_retentionrule",
    } <= held


def test_the_change_log_and_permissions_follow_the_moved_content_types():
    actor = UserFactory()
    rule = RetentionRule.objects.get(record_type="closed_case")
    before = as_before_the_move()
    entry = LogEntry.objects.create(
        user=actor,
        content_type_id=before["retentionrule"],
        object_id=str(rule.pk),
        object_repr=str(rule),
        action_flag=2,
    )

    content_types.forward(apps, None)

    assert labels("casework") == set()
    after = dict(
        ContentType.objects.filter(app_label="privacy").values_list("model", "pk")
    )
    assert {m: after[m] for m in content_types.MODELS} == {
        m: before[m] for m in content_types.MODELS
    }
    entry.refresh_from_db()
    assert entry.get_edited_object() == rule
    group = Group.objects.get(name=ADMINISTRATORS_GROUP)
    assert group.permissions.filter(
        content_type__app_label="privacy", codename="change_retentionrule"
    ).exists()
    change_record(actor=actor, obj=rule, before=fields_of(rule), after=fields_of(rule))
    assert set(
        LogEntry.objects.filter(object_id=str(rule.pk)).values_list(
            "content_type", flat=True
        )
    ) == {before["retentionrule"]}


def test_an_empty_privacy_content_type_made_first_gives_way_to_the_old_one():
    before = as_before_the_move()
    ContentType.objects.create(app_label="privacy", model="retentionrule")

    content_types.forward(apps, None)

    kept = ContentType.objects.get(model="retentionrule", app_label="privacy")
    assert kept.pk == before["retentionrule"]
    assert labels("casework") == set()


def test_undoing_the_migration_gives_casework_its_content_types_back():
    content_types.backward(apps, None)
    assert labels("casework") == set(content_types.MODELS)
    assert labels("privacy") == set()
    content_types.forward(apps, None)
    assert labels("privacy") == set(content_types.MODELS)
