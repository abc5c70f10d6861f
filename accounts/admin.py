from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import ApiToken, LocalityMembership, Organisation, User


class LocalityMembershipInline(admin.TabularInline):
    model = LocalityMembership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    inlines = [LocalityMembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "role", "organisation")}),
        ("Status", {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "role", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ()


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "school_urn", "locality"]
    list_filter = ["kind", "locality"]
    search_fields = ["name", "school_urn"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "name",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["user", "prefix", "digest", "created_at", "last_used_at"]
    fields = [
        "user",
        "name",
        "prefix",
        "digest",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]

    def has_add_permission(self, request):  # tokens are issued by create_user
        return False
