"""Casework pages: caseloads and the case."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.models import User
from accounts.roles import Role
from casework.access import case_get_for_user
from casework.selectors import ASSESSMENT_TARGET, case_page_data, caseload_for_user
from core.access_log import access_log_record, access_log_record_many

CASEWORK_ROLES = (Role.PRACTITIONER, Role.LOCALITY_MANAGER, Role.REQUESTER)


@never_cache
@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """My cases (practitioners), the locality's cases (managers), the families
    whose team I am on (requesters)."""
    user = cast(User, request.user)  # login_required
    if user.role not in CASEWORK_ROLES:
        raise Http404
    include_closed = request.GET.get("closed") == "1"
    cases = caseload_for_user(user, include_closed=include_closed)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {
            "case": case,
            "children": [p for p in case.family.people.all() if p.role == "child"],
            "assessment_due": case.opened_at + ASSESSMENT_TARGET,
            "assessment_overdue": case.status == "allocated"
            and now > case.opened_at + ASSESSMENT_TARGET,
        }
        for case in page.object_list
    ]
    access_log_record_many(user=request.user, objs=page.object_list, request=request)
    return render(
        request,
        "casework/caseload.html",
        {"rows": rows, "page": page, "include_closed": include_closed},
    )


@never_cache
@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None:
        raise Http404
    access_log_record(user=user, obj=case, request=request)
    if user.role == Role.REQUESTER:
        # Team members from partner organisations see the team and the plan only.
        context = {
            "case": case,
            **{k: v for k, v in case_page_data(case).items() if k == "team"},
        }
        return render(request, "casework/case_team_view.html", context)
    return render(request, "casework/case.html", {"case": case, **case_page_data(case)})
