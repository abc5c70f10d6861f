"""When two-factor applies, and the TOTP device helpers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice


def needs_two_factor(request: HttpRequest, user: Any) -> bool:
    """True when ``user`` has a staff role, two-factor is required and this
    session has not been verified with a TOTP code."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    if not getattr(user, "is_authenticated", False) or not getattr(
        user, "is_staff_role", False
    ):
        return False
    is_verified = getattr(request.user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The user's unconfirmed enrolment device, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    return device
