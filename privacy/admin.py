"""Administrators set how long each kind of record is kept; the kinds are fixed
(the retention report and purge use them); the purge's stubs can only be read."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.change_log import ChangeLoggedAdmin
from privacy.models import PurgedRecord, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(ChangeLoggedAdmin):
    list_display = ["record_type", "keep_months", "note"]
    readonly_fields = ["record_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: RetentionRule | None = None
    ) -> bool:
        return False


@admin.register(PurgedRecord)
class PurgedRecordAdmin(admin.ModelAdmin):
    """The stubs the retention purge leaves: read only."""

    list_display = ["record", "record_type", "locality", "kept_until", "purged_at"]
    list_filter = ["record_type", "locality"]
    search_fields = ["record"]
    date_hierarchy = "purged_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: PurgedRecord | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: PurgedRecord | None = None
    ) -> bool:
        return False
