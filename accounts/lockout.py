"""How django-axes names the account being tried: the e-mail, case-folded, so that
``X@Example.org`` and ``x@example.org`` count against the same lockout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def username_for_lockout(
    request: HttpRequest, credentials: dict[str, Any] | None
) -> str:
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    if value is None:
        value = request.POST.get("username", "")
    return str(value).strip().lower()
