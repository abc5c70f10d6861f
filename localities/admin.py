from django.contrib import admin

from core.change_log import ChangeLoggedAdmin
from localities.models import (
    CommunityService,
    Locality,
    PostcodeDistrict,
    Team,
    TeamMember,
    Ward,
)


@admin.register(Locality)
class LocalityAdmin(ChangeLoggedAdmin):
    list_display = ["name", "slug", "constituency_code", "lead_organisation"]
    readonly_fields = ["slug"]


@admin.register(Ward)
class WardAdmin(ChangeLoggedAdmin):
    list_display = ["name", "code", "locality"]
    list_filter = ["locality"]
    search_fields = ["name", "code"]


@admin.register(PostcodeDistrict)
class PostcodeDistrictAdmin(ChangeLoggedAdmin):
    list_display = ["district", "locality"]
    list_filter = ["locality"]


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(ChangeLoggedAdmin):
    list_display = ["name", "locality"]
    list_filter = ["locality"]
    inlines = [TeamMemberInline]


@admin.register(CommunityService)
class CommunityServiceAdmin(ChangeLoggedAdmin):
    list_display = ["name", "category", "locality", "active"]
    list_filter = ["locality", "active"]
    search_fields = ["name", "category"]
