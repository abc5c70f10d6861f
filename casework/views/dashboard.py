"""The dashboard: what needs doing next."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.models import User
from casework.access import case_queryset_for_user, may_use_dashboard
from casework.selectors.dashboard import dashboard_for_user
from casework.views.work import log_listed_cases
from core import clock
from core.periods import local_date
from core.view_access import scoped


@never_cache
@login_required
@scoped(case_queryset_for_user)
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs doing: assessments due, reviews overdue, actions due, and for
    managers closures waiting for sign-off."""
    user = cast(User, request.user)  # login_required
    if not may_use_dashboard(user):
        raise Http404
    data = dashboard_for_user(user, local_date(clock.now()))
    log_listed_cases(request, data["work"])
    return render(request, "casework/dashboard.html", data)
