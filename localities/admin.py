from django.contrib import admin

from core.change_log import ChangeLoggedAdmin
from localities.models import (
    CommunityService,
    Locality,
    PostcodeDistrict,
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


@admin.register(CommunityService)
class CommunityServiceAdmin(ChangeLoggedAdmin):
    list_display = ["name", "category", "locality", "active"]
    list_filter = ["locality", "active"]
    search_fields = ["name", "category"]
