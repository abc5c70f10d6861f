"""Administrators keep the indicator registry's wording, tolerance and owners;
the references and units are fixed (the measures and the API use them)."""

from __future__ import annotations

from django.contrib import admin

from core.change_log import ChangeLoggedAdmin
from scorecard.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(ChangeLoggedAdmin):
    list_display = ["ref", "title", "unit", "polarity", "data_owner", "source"]
    list_filter = ["section", "source"]
    search_fields = ["ref", "title"]
    readonly_fields = ["ref", "unit", "source"]
