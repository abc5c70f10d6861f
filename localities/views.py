"""Triage pages for locality managers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.access_log import access_log_record_many
from core.codes import LevelOfNeed
from family_connect.models import Reason, RequestType, Route
from localities.access import queue_for_user, triage_localities_for_user
from localities.selectors import (
    BANDS,
    TARGET,
    QueueFilters,
    band_counts,
    band_for,
    triage_queue,
)

PAGE_SIZE = 50


@never_cache
@login_required
def triage_index(request: HttpRequest) -> HttpResponse:
    localities = list(triage_localities_for_user(request.user))
    if not localities:
        raise Http404
    if len(localities) == 1:
        return redirect("localities:queue", slug=localities[0].slug)
    return render(request, "localities/triage_index.html", {"localities": localities})


def _filters(request: HttpRequest) -> QueueFilters:
    get = request.GET
    return QueueFilters(
        route=get.get("route", "") if get.get("route") in Route.values else "",
        request_type=(
            get.get("request_type", "")
            if get.get("request_type") in RequestType.values
            else ""
        ),
        reason=get.get("reason", "")[:50],
        level_of_need=(
            get.get("level_of_need", "")
            if get.get("level_of_need") in LevelOfNeed.values
            else ""
        ),
        safeguarding=get.get("safeguarding") == "1",
        band=get.get("band", "") if get.get("band") in {b.code for b in BANDS} else "",
    )


@never_cache
@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    """A locality's triage queue (or the city-wide unresolved one), oldest first,
    each form's age against the 7-day target."""
    allowed, locality = queue_for_user(request.user, slug)
    if not allowed:
        raise Http404
    now = timezone.now()
    filters = _filters(request)
    unbanded = QueueFilters(**{**filters.__dict__, "band": ""})
    counts = band_counts(triage_queue(request.user, locality, unbanded, now), now)
    forms = triage_queue(request.user, locality, filters, now)
    page = Paginator(forms, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for form in page.object_list:
        age = now - form.received_at
        rows.append(
            {
                "form": form,
                "age_days": age.days,
                "age_hours": int(age.total_seconds() // 3600),
                "left_hours": int((TARGET - age).total_seconds() // 3600),
                "band": band_for(age),
            }
        )
    access_log_record_many(user=request.user, objs=page.object_list, request=request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "localities/queue.html",
        {
            "locality": locality,
            "slug": slug,
            "rows": rows,
            "page": page,
            "bands": [(band, counts[band.code]) for band in BANDS],
            "total": sum(counts.values()),
            "filters": filters,
            "routes": Route.choices,
            "request_types": RequestType.choices,
            "levels": LevelOfNeed.choices,
            "reasons": Reason.objects.filter(active=True).values_list("code", "label"),
            "other_queues": triage_localities_for_user(request.user),
            "query": query.urlencode(),
        },
    )
