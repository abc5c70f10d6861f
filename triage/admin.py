from django.contrib import admin

from core.change_log import ChangeLoggedAdmin
from triage.models import Team, TeamMember


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(ChangeLoggedAdmin):
    list_display = ["name", "locality"]
    list_filter = ["locality"]
    inlines = [TeamMemberInline]
