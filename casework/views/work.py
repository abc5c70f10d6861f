"""My work: each worker's list of what is overdue and due, and the manager's
view of the team."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.models import User
from casework.access import (
    case_queryset_for_user,
    managed_locality_ids,
    may_use_caseload,
    worker_get_for_manager,
)
from casework.selectors.work import WorkList, team_work_counts, work_for_user
from core import clock
from core.access_log import access_log_record_many
from core.periods import local_date
from core.view_access import scoped


def log_listed_cases(request: HttpRequest, work: WorkList) -> None:
    """Each case a list names its family for is a read, as on the caseload."""
    case_ids = sorted({i.case_id for i in (*work.overdue, *work.due)})
    access_log_record_many(
        user=request.user,
        objs=[("casework.case", pk) for pk in case_ids],
        request=request,
    )


@never_cache
@login_required
@scoped(case_queryset_for_user)
def my_work(request: HttpRequest) -> HttpResponse:
    """The signed-in worker's list: overdue first, then the next 14 days."""
    user = cast(User, request.user)  # login_required
    if not may_use_caseload(user):
        raise Http404
    work = work_for_user(user, local_date(clock.now()))
    log_listed_cases(request, work)
    return render(
        request, "casework/my_work.html", {"work": work, "worker": user, "own": True}
    )


@never_cache
@login_required
@scoped(managed_locality_ids)
def team_work(request: HttpRequest) -> HttpResponse:
    """Each worker in the manager's localities, with their overdue counts."""
    user = cast(User, request.user)  # login_required
    if not managed_locality_ids(user):
        raise Http404
    rows = team_work_counts(user, local_date(clock.now()))
    return render(request, "casework/team_work.html", {"rows": rows})


@never_cache
@login_required
@scoped(worker_get_for_manager, managed_locality_ids)
def worker_work(request: HttpRequest, user_id: int) -> HttpResponse:
    """A worker's list as a manager of their locality sees it: the items on
    the cases of the localities the manager manages."""
    user = cast(User, request.user)  # login_required
    worker = worker_get_for_manager(user, user_id)
    if worker is None:
        raise Http404
    work = work_for_user(
        worker, local_date(clock.now()), locality_ids=managed_locality_ids(user)
    )
    log_listed_cases(request, work)
    return render(
        request,
        "casework/my_work.html",
        {"work": work, "worker": worker, "own": worker.pk == user.pk},
    )
