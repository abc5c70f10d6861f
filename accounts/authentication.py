"""API authentication: ``Authorization: Token <token>`` against hashed tokens, and
browser sessions that have passed two-factor where it is required."""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.access import remember_for_request
from accounts.services import api_token_user
from accounts.two_factor import needs_two_factor


class HashedTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token.") from exc
        user = api_token_user(raw)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        remember_for_request(user)  # read for this request only
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """Session authentication (with CSRF) that refuses a staff session that has not
    passed two-factor yet."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        if needs_two_factor(request._request, result[0]):
            raise exceptions.PermissionDenied("Two-factor sign-in is required.")
        return result
