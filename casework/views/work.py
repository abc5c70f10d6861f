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
from casework.selectors.work import (
    WORK_LISTS,
    WorkList,
    team_work_counts,
    work_for_user,
)
from core import clock
from core.access_log import access_log_record_many
from core.periods import local_date
from core.view_access import scoped


def log_listed_cases(request: HttpRequest, work: WorkList) -> None:
    """Each case a list names its family for is a read, as on the caseload."""
    case_ids = sorted({i.case_id for i in work.items})
    access_log_record_many(
        user=request.user,
        objs=[("casework.case", pk) for pk in case_ids],
        request=request,
    )


def asked_pages(request: HttpRequest) -> tuple[str, dict[str, int] | None]:
    """The list asked for on its own (``?list=overdue&page=2``), if any, and
    the pages to read: that list's page, else the first page of each."""
    shown = request.GET.get("list", "")
    if shown not in WORK_LISTS:
        return "", None
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    return shown, {shown: page}


def render_work(
    request: HttpRequest, worker: User, *, locality_ids: list[int] | None = None
) -> HttpResponse:
    """A worker's list: the first page of each of overdue and due, or one of
    them page by page; each case named is a read."""
    user = cast(User, request.user)  # login_required
    shown, pages = asked_pages(request)
    work = work_for_user(
        worker, local_date(clock.now()), locality_ids=locality_ids, pages=pages
    )
    log_listed_cases(request, work)
    return render(
        request,
        "casework/my_work.html",
        {
            "work": work,
            "worker": worker,
            "own": worker.pk == user.pk,
            # One list page by page, or the first page of each with a link
            # to the rest.
            "shown": shown,
            "page": getattr(work, shown) if shown else None,
            "list_url": request.path,
            "more_url": "" if shown else request.path,
        },
    )


@never_cache
@login_required
@scoped(case_queryset_for_user)
def my_work(request: HttpRequest) -> HttpResponse:
    """The signed-in worker's list: overdue first, then the next 14 days."""
    user = cast(User, request.user)  # login_required
    if not may_use_caseload(user):
        raise Http404
    return render_work(request, user)


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
    return render_work(request, worker, locality_ids=managed_locality_ids(user))
