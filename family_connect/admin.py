"""Administrators keep the list of reasons for connection (PRODUCT §6): a
reason's code is fixed once made (forms, imports and the scorecard use it), and
a reason no longer offered is made inactive rather than deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.change_log import ChangeLoggedAdmin
from family_connect.models import Reason


@admin.register(Reason)
class ReasonAdmin(ChangeLoggedAdmin):
    list_display = ["label", "code", "position", "active"]
    list_filter = ["active"]
    search_fields = ["label", "code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
