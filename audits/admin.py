"""Administrators edit the grade scale and the audit templates. A template
version that a round or audit has used is read-only: "Make a new version"
copies it for editing, and new rounds use the new version."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from audits.models import AuditDomain, AuditGrade, AuditQuestion, AuditTemplate
from audits.services import audit_template_in_use, audit_template_new_version
from core.change_log import ChangeLoggedAdmin


@admin.register(AuditGrade)
class AuditGradeAdmin(ChangeLoggedAdmin):
    list_display = ["label", "code", "position", "good"]
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The codes are fixed (imports, the API and the indicators use them).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditDomainInline(admin.TabularInline):
    model = AuditDomain
    extra = 0
    show_change_link = True


class AuditQuestionInline(admin.TabularInline):
    model = AuditQuestion
    extra = 0


def _frozen(template: AuditTemplate | None) -> bool:
    return template is not None and audit_template_in_use(template)


@admin.register(AuditTemplate)
class AuditTemplateAdmin(ChangeLoggedAdmin):
    list_display = ["name", "version", "current"]
    readonly_fields = ["version", "current"]
    inlines = [AuditDomainInline]
    actions = ["new_version"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not _frozen(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not _frozen(obj)

    @admin.action(description="Make a new version to edit")
    def new_version(
        self, request: HttpRequest, queryset: QuerySet[AuditTemplate]
    ) -> None:
        for template in queryset:
            new = audit_template_new_version(
                template_id=template.pk,
                actor=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, f"{new} is ready to edit.")


@admin.register(AuditDomain)
class AuditDomainAdmin(ChangeLoggedAdmin):
    list_display = ["title", "template", "position"]
    list_filter = ["template"]
    inlines = [AuditQuestionInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        frozen = obj is not None and _frozen(obj.template)
        return super().has_change_permission(request, obj) and not frozen

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "template":
            # New domains go only into versions nobody has used yet.
            kwargs["queryset"] = AuditTemplate.objects.filter(
                rounds__isnull=True, audits__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        frozen = obj is not None and _frozen(obj.template)
        return super().has_delete_permission(request, obj) and not frozen
