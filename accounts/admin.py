"""The administration site's pages for users, organisations, API tokens and
two-factor devices.

- Users are created and changed through ``accounts.services.user_save``, the
  same path as ``create_user``: a role or locality change revisits team places
  and case grants, and is refused (with the service's own words against the
  form) when it would leave an open case without a lead who can work it.
- Nobody sets another person's password here: "Send a set-password link"
  e-mails the person a one-time link the administrator never sees.
- Two-factor devices are listed without their secrets; "Reset two-factor"
  deletes a device, and its owner enrols again at their next sign-in.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import path
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, Organisation, User
from accounts.services import (
    api_tokens_revoke,
    password_link_send,
    two_factor_reset,
    user_save,
)
from core.change_log import ChangeLoggedAdmin
from core.errors import InvalidInput
from localities.models import Locality


class UserAdminForm(forms.ModelForm):
    # Not the model's ``localities`` (memberships are written by the service).
    work_localities = forms.ModelMultipleChoiceField(
        queryset=Locality.objects.order_by("name"),
        required=False,
        label="Localities",
        widget=forms.CheckboxSelectMultiple,
        help_text="Practitioners and locality managers work in these localities.",
    )

    class Meta:
        model = User
        fields = ["email", "full_name", "phone", "role", "organisation", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].required = True
        if self.instance.pk:
            self.fields["work_localities"].initial = list(
                self.instance.localities.all()
            )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "user_id": self.instance.pk,
            "email": data["email"],
            "role": data["role"],
            "locality_slugs": [loc.slug for loc in data["work_localities"]],
            "full_name": data.get("full_name") or "",
            "phone": data.get("phone") or "",
            "organisation": data.get("organisation"),
            "is_active": data.get("is_active", True),
        }

    def clean(self) -> dict[str, Any]:
        # The change is tried in a savepoint that is always rolled back, so
        # the service's refusal (a lead who would leave open cases without a
        # lead, an e-mail address taken) shows against the form and nothing
        # is written. ``save_model`` then makes the change for real.
        data = super().clean() or {}
        if self.errors:
            return data
        with transaction.atomic():
            try:
                user_save(**self.service_arguments(), actor=None)
            except InvalidInput as exc:
                field = exc.field if exc.field in self.fields else None
                if exc.field == "locality":
                    field = "work_localities"
                self.add_error(field, exc.message)
            transaction.set_rollback(True)
        return data


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["is_staff", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        (
            "Person",
            {
                "fields": (
                    "full_name",
                    "phone",
                    "role",
                    "organisation",
                    "work_localities",
                )
            },
        ),
        ("Status", {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
    )
    actions = ["send_set_password_link"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return (
                (None, {"fields": ("email",)}),
                (
                    "Person",
                    {
                        "fields": (
                            "full_name",
                            "phone",
                            "role",
                            "organisation",
                            "work_localities",
                        )
                    },
                ),
            )
        return self.fieldsets

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Users stay on record (cases, forms and the logs point at them);
        # someone who leaves is made inactive.
        return False

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        result = user_save(
            **form.service_arguments(),
            actor=request.user,  # type: ignore[arg-type]
        )
        # The admin carries on with the saved row (its id for the next page).
        obj.pk = result.user.pk
        obj._state.adding = False
        if result.removed:
            messages.info(
                request,
                "Their access changed with the role: removed "
                + "; ".join(result.removed)
                + ".",
            )

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        """The localities were saved by the service."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> None:  # type: ignore[override]
        """The service wrote the change log."""

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> None:  # type: ignore[override]
        """The service wrote the change log."""

    @admin.action(description="Send a set-password link")
    def send_set_password_link(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> None:
        for user in queryset:
            try:
                password_link_send(user_id=user.pk, actor=request.user)  # type: ignore[arg-type]
            except InvalidInput as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    f"A link to choose a password was e-mailed to {user.email}.",
                )


@admin.register(Organisation)
class OrganisationAdmin(ChangeLoggedAdmin):
    list_display = ["name", "kind", "school_urn", "locality"]
    list_filter = ["kind", "locality"]
    search_fields = ["name", "school_urn"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ChangeLoggedAdmin):
    """Tokens are issued by ``create_user --api-token`` and revoked with the
    "Revoke" action; no date of a token is edited by hand, and its digest is
    not shown."""

    list_display = [
        "prefix",
        "user",
        "name",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["prefix", "user__email", "name"]
    readonly_fields = [
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    actions = ["revoke_tokens"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued by create_user

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked, never deleted

    @admin.action(description="Revoke the selected API tokens")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = api_tokens_revoke(tokens=queryset)
        self.message_user(request, f"{count} API token(s) revoked.", messages.SUCCESS)


# django-otp's own admin shows each device's key and QR code: replaced.
with contextlib.suppress(NotRegistered):
    admin.site.unregister(TOTPDevice)


def _no_secrets(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
    raise Http404


@admin.register(TOTPDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__email", "user__full_name"]
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields
    actions = ["reset_two_factor"]

    def get_urls(self) -> list[Any]:
        # The old configuration and QR code addresses answer "not found"
        # rather than falling through to the change page's redirect.
        return [
            path("<path:object_id>/config/", _no_secrets),
            path("<path:object_id>/qrcode/", _no_secrets),
            *super().get_urls(),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TOTPDevice]:
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # each person enrols their own authenticator

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # "Reset two-factor" is the only way, and it is logged

    def has_reset_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("otp_totp.delete_totpdevice")

    @admin.action(description="Reset two-factor", permissions=["reset"])
    def reset_two_factor(
        self, request: HttpRequest, queryset: QuerySet[TOTPDevice]
    ) -> None:
        devices = list(queryset)
        for device in devices:
            two_factor_reset(device_id=device.pk, actor=request.user)  # type: ignore[arg-type]
        messages.success(
            request,
            f"Two-factor reset for {len(devices)} "
            f"{'person' if len(devices) == 1 else 'people'}: they set up their "
            "authenticator again at their next sign-in.",
        )
