"""Facts about an HTTP request that several parts of the service need."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for rate limits, the access log and the sign-in
    lockout (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``TRUSTED_PROXY_COUNT`` proxies, each appending the address it saw to
    ``X-Forwarded-For``, the client is the Nth entry from the right: anything to
    its left was written by the client and could say anything. With no trusted
    proxy, or when the header is missing, shorter than the proxy chain or not a
    list of addresses, the peer's own address is used: a client can never choose
    its address by sending a header."""
    peer = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return peer
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    chain = [item.strip() for item in header.split(",")]
    if len(chain) < count:
        return peer
    candidate = chain[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer


def is_api_request(request: HttpRequest) -> bool:
    """Whether the request is for the API, whose answers (errors included) are
    JSON rather than pages."""
    return request.path_info.startswith("/api/")


def error_response(
    request: HttpRequest, *, status: int, message: str, template: str
) -> HttpResponse:
    """An error in the form the client reads: JSON ``{"detail": message}`` for
    the API (as its own errors), the page ``template`` otherwise. The page is
    rendered without the request (no user, session or context processor), so
    it can be made before they are set up, or while the database is away."""
    if is_api_request(request):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(render_to_string(template, {"message": message}), status=status)
