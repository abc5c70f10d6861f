"""Administrators set how long each kind of record is kept; the kinds are fixed
(the retention report and purge use them)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from casework.models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["record_type", "keep_months", "note"]
    readonly_fields = ["record_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: RetentionRule | None = None
    ) -> bool:
        return False
