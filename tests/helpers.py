from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_otp.oath import totp

from tests.factories import DEFAULT_PASSWORD, TOTPDeviceFactory


def totp_now(device) -> str:
    """The current 6-digit code of a TOTP device, as an authenticator app shows it."""
    code = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{code:0{device.digits}d}"


def sign_in(client, user, *, ip: str = "127.0.0.1", password: str = DEFAULT_PASSWORD):
    return client.post(
        "/sign-in/", {"username": user.email, "password": password}, REMOTE_ADDR=ip
    )


def sign_in_verified(client, user):
    """Sign in with password and then a TOTP code, as a staff user must."""
    device = TOTPDeviceFactory(user=user)
    response = sign_in(client, user)
    assert response.status_code == 302, response.content[:500]
    response = client.post("/account/two-factor/verify/", {"code": totp_now(device)})
    assert response.status_code == 302, response.content[:500]
    return device


def sign_in_as(client, user):
    """Sign in as the user's role must: staff past two-factor, others with a
    password."""
    if user.is_staff_role:
        return sign_in_verified(client, user)
    response = sign_in(client, user)
    assert response.status_code == 302, response.content[:500]
    return response


def date_boxes(name: str, day: dt.date | None) -> dict[str, str]:
    """A date as a person types it in the GOV.UK date input (day, month and
    year boxes); None leaves the boxes empty."""
    parts = ("", "", "") if day is None else (day.day, day.month, day.year)
    return {f"{name}_{i}": str(part) for i, part in enumerate(parts)}


def days_from_today(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)
