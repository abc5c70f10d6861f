"""The search page: people, households, cases and forms, grouped."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.view_access import scoped
from search.access import may_search, searches_citywide
from search.forms import SearchForm
from search.selectors import PAGE_LIMIT, search_for_user
from search.services import search_log


@never_cache
@login_required
@require_GET
@scoped(may_search, searches_citywide)
def results(request: HttpRequest) -> HttpResponse:
    """``/search/?q=...``: everything the user may see that matches; every
    search and every record shown is in the access log."""
    if not may_search(request.user):
        return render(request, "search/not_available.html", status=403)
    citywide = searches_citywide(request.user)
    form = SearchForm(request.GET or None, citywide=citywide)
    found = None
    if form.is_valid() and not form.cleaned_data["q"].is_empty:
        found = search_for_user(
            request.user,
            form.cleaned_data["q"],
            locality=form.cleaned_data.get("locality"),
        )
        search_log(user=request.user, shown=found.shown(), request=request)
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "found": found,
            "citywide": citywide,
            "typed": request.GET.get("q", "").strip(),
            "page_limit": PAGE_LIMIT,
        },
    )
