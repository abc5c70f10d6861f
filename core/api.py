"""API plumbing shared by every app: domain errors as HTTP answers."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.exceptions import NotFound, UnsupportedMediaType
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    Stale,
    TooMany,
)

UNSUPPORTED_BODY = (
    "The API reads JSON bodies only: send the body as JSON, "
    "with the header Content-Type: application/json."
)

_STATUS = {
    InvalidInput: status.HTTP_400_BAD_REQUEST,
    NotAllowed: status.HTTP_403_FORBIDDEN,
    # Before Conflict: the first matching kind wins.
    Stale: status.HTTP_412_PRECONDITION_FAILED,
    Conflict: status.HTTP_409_CONFLICT,
    TooMany: status.HTTP_429_TOO_MANY_REQUESTS,
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus a service's refusal as 400, 403, 412, 409 or 429 (with
    ``Retry-After``) and its message (under the field it concerns, when it names
    one).

    The database or Redis being away (a token lookup in the authentication
    classes included) is not handled here: DRF raises it on to
    ``core.views.server_error``, the one place that makes it a 503.

    A body that is not JSON (form-encoded, multipart) is a 415 that says so."""
    if isinstance(exc, UnsupportedMediaType):
        return Response(
            {"detail": UNSUPPORTED_BODY},
            status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
        )
    if isinstance(exc, DomainError):
        code = next(
            (c for kind, c in _STATUS.items() if isinstance(exc, kind)),
            status.HTTP_400_BAD_REQUEST,
        )
        body: dict[str, Any] = {"detail": exc.message}
        for field, message in exc.problems:
            if field:
                body.setdefault(field, []).append(message)
        headers = (
            {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooMany) else None
        )
        return Response(body, status=code, headers=headers)
    return drf_exception_handler(exc, context)


class StrictPageNumberPagination(PageNumberPagination):
    """Pages by number; a ``page`` that is given but is not a whole number is
    refused (404 "Invalid page"), not read as the first page."""

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not raw.isdigit() and raw not in self.last_page_strings:
            raise NotFound(
                self.invalid_page_message.format(page_number=raw, message="")
            )
        return super().get_page_number(request, paginator)
