from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from core.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    """E-mail and password. The same message for an unknown e-mail and a wrong
    password, so the form does not tell which accounts exist."""

    error_messages = {
        "invalid_login": "Enter a correct e-mail address and password.",
        "inactive": "Enter a correct e-mail address and password.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false", "class": "govuk-input"}
        )
        self.fields["username"].error_messages["required"] = "Enter your e-mail address"
        # Django sets the length without checking it: an over-long address would
        # reach the lockout records (255 characters) and fail there.
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)
        username.validators.append(MaxLengthValidator(username.max_length or 254))
        # English like the rest of the page, not Django's translated label.
        self.fields["password"].label = "Password"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget.attrs.update(
            {"autocomplete": "current-password", "class": "govuk-input"}
        )

    def clean_username(self) -> str:
        return (self.cleaned_data.get("username") or "").strip().lower()


class TokenForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Security code",
        min_length=6,
        max_length=6,
        error_messages={
            "required": "Enter the 6-digit security code from your authenticator app",
            "min_length": "The security code must be 6 digits",
            "max_length": "The security code must be 6 digits",
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input govuk-input--width-5",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join((self.cleaned_data.get("code") or "").split())
        if not code.isdigit():
            raise forms.ValidationError("The security code must be 6 digits")
        return code


class PasswordSetForm(GovukFormMixin, forms.Form):
    new = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password"},
    )
    confirm = forms.CharField(
        label="New password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the new password again"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new") and data.get("confirm") and data["new"] != data["confirm"]:
            self.add_error("confirm", "The two new passwords are not the same")
        return data


class PasswordChangeForm(PasswordSetForm):
    current = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )
    field_order = ["current", "new", "confirm"]


class DetailsForm(GovukFormMixin, forms.Form):
    """The signed-in user's own details they may change: their work phone
    number (checked by ``accounts.services.user_phone_change``)."""

    phone = forms.CharField(
        label="Work phone number",
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "autocomplete": "tel",
                "spellcheck": "false",
                "class": "govuk-input--width-20",
            }
        ),
    )
