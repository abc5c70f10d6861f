"""Casework pages: caseloads and the case."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.roles import Role
from casework.access import case_get_for_user, may_work_on
from casework.assessment import assessment_save
from casework.closure import case_close
from casework.forms import AssessmentForm, ClosureForm
from casework.models import Assessment, Person
from casework.selectors import ASSESSMENT_TARGET, case_page_data, caseload_for_user
from casework.services import case_member_add, case_member_remove
from core.access_log import access_log_record, access_log_record_many
from core.errors import DomainError

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
    return render(
        request,
        "casework/case.html",
        {"case": case, "can_work": may_work_on(user, case), **case_page_data(case)},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, case_id: int) -> HttpResponse:
    """Write the Early Help Assessment; save as you go, then complete it."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not may_work_on(user, case):
        raise Http404
    existing = Assessment.objects.filter(case=case).prefetch_related("people").first()
    people = list(
        Person.objects.filter(family_id=case.family_id).order_by("role", "pk")
    )
    form = AssessmentForm(
        request.POST or None,
        people=people,
        initial=AssessmentForm.initial_from(existing),
    )
    if request.method == "POST" and form.is_valid():
        complete = "complete" in request.POST
        try:
            assessment_save(
                case_id=case.pk, actor=user, data=form.to_input(), complete=complete
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                "Assessment completed: these scores are the baseline."
                if complete
                else "Assessment saved.",
            )
            return redirect("casework:case", case_id=case.pk)
    access_log_record(user=user, obj=case, request=request)
    return render(
        request,
        "casework/assessment.html",
        {
            "case": case,
            "form": form,
            "completed": existing is not None and existing.completed_at is not None,
            "assessment": existing,
        },
    )


@never_cache
@login_required
@require_POST
def team_change(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add someone to the team around the family, or take them off."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not may_work_on(user, case):
        raise Http404
    try:
        if request.POST.get("remove"):
            case_member_remove(
                case_id=case.pk, actor=user, member_id=int(request.POST["remove"])
            )
            messages.success(request, "Taken off the team.")
        else:
            member = case_member_add(
                case_id=case.pk, actor=user, email=request.POST.get("email", "")
            )
            messages.success(request, f"{member.user.display_name} added to the team.")
    except ValueError:
        messages.error(request, "That person is not on the team")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("casework:case", case_id=case.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, case_id: int) -> HttpResponse:
    """Close the case; a second person closing at the same moment is told it is
    already closed."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not may_work_on(user, case):
        raise Http404
    people = list(
        Person.objects.filter(family_id=case.family_id).order_by("role", "pk")
    )
    form = ClosureForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            case_close(case_id=case.pk, actor=user, data=form.to_input())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, "Case closed. A manager will sign the closure off."
            )
            return redirect("casework:case", case_id=case.pk)
    access_log_record(user=user, obj=case, request=request)
    return render(request, "casework/close.html", {"case": case, "form": form})
