from django.contrib import admin

from localities.models import Locality, PostcodeDistrict, Ward


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "constituency_code", "lead_organisation"]
    readonly_fields = ["slug"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "locality"]
    list_filter = ["locality"]
    search_fields = ["name", "code"]


@admin.register(PostcodeDistrict)
class PostcodeDistrictAdmin(admin.ModelAdmin):
    list_display = ["district", "locality"]
    list_filter = ["locality"]
