"""Session time limits and the two-factor gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts.access import remember_for_request
from accounts.two_factor import confirmed_device, needs_two_factor

SIGNED_IN_AT = "_ehc_signed_in_at"
LAST_SEEN_AT = "_ehc_last_seen_at"
# Writing the session on every request would be wasteful; a minute's slack on a
# 30-minute idle limit is immaterial.
LAST_SEEN_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    """Signs the user out after 30 minutes idle or 12 hours after signing in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            # The request's own user object: what its pages ask of the user
            # several times (localities, queues) is read once.
            remember_for_request(request.user)
            now = timezone.now().timestamp()
            session = request.session
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            last_seen_at = session.get(LAST_SEEN_AT, now)
            idle = now - last_seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            expired = (
                now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            )
            if idle or expired:
                logout(request)
                messages.info(
                    request, "You have been signed out. Sign in again to continue."
                )
                return redirect(settings.LOGIN_URL)
            if (
                now - last_seen_at >= LAST_SEEN_RESOLUTION_SECONDS
                or LAST_SEEN_AT not in session
            ):
                session[LAST_SEEN_AT] = now
        return self.get_response(request)


# Views a signed-in staff user may reach before passing two-factor.
TWO_FACTOR_EXEMPT_VIEWS = frozenset(
    {
        "accounts:home",
        "core:healthz",
        "accounts:sign_in",
        "accounts:sign_out",
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:password_set",
        "set_language",
    }
)


class TwoFactorRequiredMiddleware:
    """Sends a staff user whose session has not passed two-factor to enrolment or
    verification before any page beyond the home page. The API checks the same
    rule in its session authentication class."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.view_name in TWO_FACTOR_EXEMPT_VIEWS:
            return None
        if match.route.startswith("api/"):
            return None
        if not needs_two_factor(request, request.user):
            return None
        if confirmed_device(request.user) is None:
            return redirect("accounts:two_factor_setup")
        verify = reverse("accounts:two_factor_verify")
        if request.method == "GET":
            verify = f"{verify}?{urlencode({'next': request.get_full_path()})}"
        return redirect(verify)
