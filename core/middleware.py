"""The project's middleware.

- ``NoStoreMiddleware``: responses made by the application are never stored by
  a browser or a proxy: case pages, API answers, PDFs and CSV downloads alike
  (QUALITY §2). Static files are served before this runs and keep their long
  cache lifetimes.
- ``UnreadableRequestMiddleware``: hostile bytes are a 400, never a 500; a
  body over the size limit is a 413 and a chunked body a 411.
- ``PageMethodsMiddleware``: pages answer 405 to methods they do not handle.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
)
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import add_never_cache_headers
from rest_framework.views import APIView

from core.http import error_response


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response


# --- Hostile bytes -------------------------------------------------------------
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
NUL = "a NUL character"
NOT_UTF8 = "bytes that are not UTF-8 text"


# Django has already replaced each byte of a broken UTF-8 sequence in the path
# with its escape (``repercent_broken_unicode``), and the server has decoded
# the escapes the client sent: an escape of a non-ASCII byte left in the path
# is a broken sequence (or a client's "%25C3", which no page uses either).
_BROKEN_UTF8_IN_PATH = re.compile(r"%[89A-F][0-9A-F]")


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def _text_problem(raw: bytes) -> str | None:
    """What makes bytes unusable as text, or None."""
    if b"\x00" in raw:
        return NUL
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    return None


def _form_decoded(raw: bytes) -> bytes:
    # Query strings and form bodies share one encoding; a NUL or a broken
    # UTF-8 sequence hides behind percent-escapes until they are decoded.
    return unquote_to_bytes(raw.replace(b"+", b" "))


def _unreadable(request: HttpRequest) -> str | None:
    """Where a NUL byte or invalid UTF-8 is in the request, and which, or None.

    PostgreSQL refuses NUL in text ("cannot contain NUL": a 500 wherever a
    value reaches a query) and a value that is not UTF-8 cannot be text, so
    neither may reach a view, a session lookup or a form.
    """
    meta = request.META
    if "\x00" in request.path_info:
        return f"its address contains {NUL}"
    if _BROKEN_UTF8_IN_PATH.search(request.path_info):
        return f"its address contains {NOT_UTF8}"
    problem = _text_problem(
        _form_decoded(get_bytes_from_wsgi(meta, "QUERY_STRING", ""))
    )
    if problem:
        return f"its query string contains {problem}"
    headers = [
        str(value)
        for key, value in meta.items()
        if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH")
    ]
    # Cookie values are unquoted ("\000" becomes NUL) before the session
    # cookie is looked up.
    if any("\x00" in value for value in [*headers, *request.COOKIES.values()]):
        return f"a header contains {NUL}"
    content_type = request.content_type or ""
    if content_type == MULTIPART:
        # Its fields are read once the view is known (``_unreadable_fields``).
        return None
    body = request.body
    if content_type == FORM:
        problem = _text_problem(_form_decoded(body))
    elif _is_json(content_type):
        problem = _text_problem(body)
    elif b"\x00" in body:
        problem = NUL
    return f"its body contains {problem}" if problem else None


def _is_api_view(view_func: Callable[..., HttpResponse]) -> bool:
    api_view = getattr(view_func, "cls", None)
    return isinstance(api_view, type) and issubclass(api_view, APIView)


def _unreadable_fields(request: HttpRequest) -> str | None:
    """A NUL in a multipart form's fields, or None. The fields only; an
    uploaded file's content is its validator's to judge (and to refuse with a
    message about the file)."""
    if request.method == "POST" and any(
        "\x00" in text
        for key, values in request.POST.lists()
        for text in (key, *values)
    ):
        return f"a form field contains {NUL}"
    return None


def _refuse(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return error_response(request, status=status, message=message, template="400.html")


def _chunked_without_length(request: HttpRequest) -> bool:
    # gunicorn passes a chunked body on with a Transfer-Encoding header and no
    # CONTENT_LENGTH; Django then reads the body as empty (a form posted this
    # way would be "This field is required"), so it is refused instead.
    encoding = str(request.META.get("HTTP_TRANSFER_ENCODING", "")).lower()
    return "chunked" in encoding and not request.META.get("CONTENT_LENGTH")


class UnreadableRequestMiddleware:
    """400 for a request with a NUL byte (raw or percent-encoded) in its path,
    query string, headers, cookies or body, or invalid UTF-8 in its path,
    query string or form or JSON body (TRAPS: "NUL bytes reaching
    PostgreSQL"); 413 for a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``
    and 411 for a chunked one (no Content-Length). Runs before the session is
    looked up. The one place these refusals are made, for pages and API.

    A multipart form's fields are checked once the view is known, for pages
    only: the API reads JSON bodies only, and its views answer a multipart
    body with 415 (read here, its stream would be gone and DRF would see an
    empty body instead)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _chunked_without_length(request):
            return _refuse(
                request,
                "Length required: send the request body with a Content-Length "
                "header (chunked bodies are not read).",
                status=411,
            )
        return self._checked(request, _unreadable) or self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.content_type != MULTIPART or _is_api_view(view_func):
            return None
        return self._checked(request, _unreadable_fields)

    def _checked(
        self, request: HttpRequest, check: Callable[[HttpRequest], str | None]
    ) -> HttpResponse | None:
        try:
            problem = check(request)
        except RequestDataTooBig:
            # Django checks the declared Content-Length before reading; the
            # body is read here first, so this is where it is too big.
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
            return _refuse(
                request,
                f"The request could not be read: its body is larger than {limit} KB.",
                status=413,
            )
        if problem:
            return _refuse(request, f"The request could not be read: {problem}.")
        return None


# --- Methods -------------------------------------------------------------------
PAGE_METHODS = ("GET", "HEAD", "POST", "OPTIONS")


class PageMethodsMiddleware:
    """405, with an ``Allow`` header, for a method no page handles (PUT,
    DELETE, PATCH, PROPFIND, ...), before the view runs: a function view that
    does not check the method would treat it as a GET (or a POST), and
    Django's form views treat PUT as POST (signing in by PUT, for one). The
    API's views answer 405 themselves, from the handlers they define, and are
    left to do so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.method in PAGE_METHODS or _is_api_view(view_func):
            return None
        return HttpResponseNotAllowed(PAGE_METHODS)


class CompressionMiddleware(GZipMiddleware):
    """Django's GZip middleware (BREACH-mitigated), except for answers that
    carry an ETag: a compressed body is another representation, so Django
    would weaken the tag, and a weak tag can never satisfy ``If-Match`` (RFC
    9110 §13.1.1). The API's single forms keep their strong tags, uncompressed;
    pages and lists are compressed."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.has_header("ETag"):
            return response
        return super().process_response(request, response)
