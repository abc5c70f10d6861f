from __future__ import annotations

import logging
import sys

import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core import jsonbody
from core.http import is_api_request
from core.jsonbody import JSONRefused
from core.models import BenchmarkRow
from core.unavailable import is_unavailable, unavailable_response
from core.view_access import public, signed_in

logger = logging.getLogger(__name__)


@never_cache
@require_GET
@public("the health check: no data")
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database (and, when configured, Redis) answer; 503 otherwise."""
    checks: dict[str, str] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DatabaseError:
        logger.exception("health check: database unavailable")
        checks["database"] = "unavailable"
        healthy = False
    if settings.REDIS_URL:
        try:
            client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
            )
            client.ping()
            checks["redis"] = "ok"
        except redis.RedisError:
            logger.exception("health check: Redis unavailable")
            checks["redis"] = "unavailable"
            healthy = False
    else:
        checks["redis"] = "not_configured"
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks},
        status=200 if healthy else 503,
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        # API clients get JSON, as from the API's own views.
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The answer to any exception a view, the API or a middleware let through.

    Django calls this inside its ``except`` block, so ``sys.exc_info()`` is the
    exception: the one place where the database or Redis being away becomes a
    503 with ``Retry-After`` (for a token lookup in the API's authentication,
    a session lookup in a middleware or a query in a view alike) instead of a
    500. The API's exception handler leaves these errors to it."""
    if is_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return render(request, "500.html", status=500)


# --- Benchmark floor views (only with BENCHMARK_VIEWS=1) -----------------------


@never_cache
@login_required
@require_GET
@signed_in("the benchmark floor, only with BENCHMARK_VIEWS")
def benchmark_floor(request: HttpRequest) -> HttpResponse:
    """The floor a page is compared with: signed in, the base template, one
    query."""
    if not settings.BENCHMARK_VIEWS:
        raise Http404
    count = get_user_model().objects.filter(pk=request.user.pk or 0).count()
    return render(request, "core/benchmark_floor.html", {"count": count})


@csrf_exempt
@require_POST
@public("the benchmark floor, only with BENCHMARK_VIEWS")
def benchmark_insert(request: HttpRequest) -> JsonResponse:
    """The floor for submissions: one JSON row inserted, nothing else."""
    if not settings.BENCHMARK_VIEWS:
        raise Http404
    try:
        # The middleware has refused a body that is not UTF-8.
        data = jsonbody.loads(request.body.decode() or "{}")
    except JSONRefused as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    row = BenchmarkRow.objects.create(data=data)
    return JsonResponse({"id": row.pk}, status=201)
