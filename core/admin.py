from django.contrib import admin

from core.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the access log is append-only for the application."""

    list_display = ["at", "user_email", "action", "channel", "object_type", "object_id"]
    list_filter = ["channel", "action", "object_type"]
    search_fields = ["user_email", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
