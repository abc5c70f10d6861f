"""Our Family Plan: its outcomes, actions and their progress."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.models import User
from casework.access import case_get_for_user, may_download_plan_pdf, may_work_on
from casework.forms import ActionAddForm, ActionEditForm, OutcomeForm
from casework.models import OPEN_STATUSES, ActionStatus, Case, PlanAction
from casework.services.plan import (
    plan_action_add,
    plan_action_edit,
    plan_action_progress,
    plan_outcome_add,
    plan_outcome_edit,
)
from casework.views.cases import case_heading
from core import clock
from core.access_log import access_log_record
from core.errors import DomainError
from core.periods import local_date
from core.view_access import scoped
from localities.models import CommunityService


def _service(pk: int | None) -> CommunityService | None:
    """The directory's service chosen on a form (the service checks that the
    case may name it)."""
    return None if pk is None else CommunityService.objects.filter(pk=pk).first()


def _plan_case(request: HttpRequest, case_id: int) -> tuple[User, Any]:
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None:
        raise Http404
    return user, case


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_work_on)
def plan(request: HttpRequest, case_id: int) -> HttpResponse:
    """Our Family Plan: everyone on the team sees it; the case's workers write
    it; each owner updates their own actions."""
    user, case = _plan_case(request, case_id)
    can_work = may_work_on(user, case)
    outcome_form = OutcomeForm(
        request.POST if request.POST.get("add") == "outcome" else None
    )
    action_form = ActionAddForm(
        request.POST if request.POST.get("add") == "action" else None, case=case
    )
    if request.method == "POST":
        try:
            if request.POST.get("add") == "outcome" and can_work:
                if outcome_form.is_valid():
                    plan_outcome_add(
                        case_id=case.pk, actor=user, **outcome_form.cleaned_data
                    )
                    return redirect("casework:plan", case_id=case.pk)
            elif request.POST.get("add") == "action" and can_work:
                if action_form.is_valid():
                    d = action_form.cleaned_data
                    owner = (
                        None
                        if d["owner"] == "family"
                        else User.objects.filter(pk=int(d["owner"])).first()
                    )
                    plan_action_add(
                        case_id=case.pk,
                        actor=user,
                        outcome_id=d["outcome"],
                        what=d["what"],
                        owner=owner,
                        owner_is_family=d["owner"] == "family",
                        due_on=d["due_on"],
                        community=d["community"],
                        community_service=_service(d["community_service"]),
                    )
                    return redirect("casework:plan", case_id=case.pk)
            elif request.POST.get("action"):
                action = case.actions.filter(pk=int(request.POST["action"])).first()
                if action is None:
                    raise Http404
                action = plan_action_progress(
                    action_id=action.pk,
                    actor=user,
                    status=request.POST.get("status", ""),
                )
                # Only the select changes otherwise: say that it was saved.
                messages.success(
                    request,
                    f"Action updated: “{action.what}” is now "
                    f"{action.get_status_display().lower()}.",
                )
                return redirect("casework:plan", case_id=case.pk)
            else:
                raise Http404
        except ValueError:
            raise Http404 from None
        except DomainError as exc:
            target = (
                outcome_form if request.POST.get("add") == "outcome" else action_form
            )
            if request.POST.get("add"):
                target.add_domain_error(exc)
            else:
                messages.error(request, exc.message)
    access_log_record(user=user, obj=case, request=request)
    outcomes = list(
        case.outcomes.prefetch_related(
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related(
                    "owner", "community_service"
                ),
            )
        )
    )
    actions = [a for o in outcomes for a in o.actions.all()]
    return render(
        request,
        "casework/plan.html",
        {
            "case": case,
            **case_heading(user, case),
            "outcomes": outcomes,
            "can_work": can_work,
            "may_download_plan": may_download_plan_pdf(user, case),
            "outcome_form": outcome_form,
            "action_form": action_form,
            "form": outcome_form if outcome_form.errors else action_form,
            "no_community_action": bool(actions)
            and not any(a.community for a in actions),
            "statuses": ActionStatus.choices,
            # The day My work counts from, so that both say the same is overdue.
            "today": local_date(clock.now()),
        },
    )


def _plan_to_correct(request: HttpRequest, case_id: int) -> tuple[User, Case]:
    """The case whose plan the user corrects: one they may work on, still open
    (a closed case's plan is the record as it ended). 404 otherwise, as for a
    case that does not exist."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not may_work_on(user, case) or case.status not in OPEN_STATUSES:
        raise Http404
    return user, case


def _saved_or_unchanged(request: HttpRequest, changed: bool, what: str) -> None:
    if changed:
        messages.success(request, f"{what} updated.")
    else:
        messages.info(request, f"Nothing was changed: the {what.lower()} is as it was.")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_work_on)
def outcome_edit(request: HttpRequest, case_id: int, outcome_id: int) -> HttpResponse:
    """Correct an outcome's words or its part of the family wheel."""
    user, case = _plan_to_correct(request, case_id)
    outcome = case.outcomes.filter(pk=outcome_id).first()
    if outcome is None:
        raise Http404
    form = OutcomeForm(
        request.POST if request.method == "POST" else None,
        initial={"text": outcome.text, "domain": outcome.domain},
    )
    if request.method == "POST" and form.is_valid():
        try:
            _outcome, changed = plan_outcome_edit(
                outcome_id=outcome.pk, actor=user, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            _saved_or_unchanged(request, changed, "Outcome")
            return redirect("casework:plan", case_id=case.pk)
    access_log_record(user=user, obj=case, request=request)
    return render(
        request,
        "casework/plan_outcome_edit.html",
        {"case": case, **case_heading(user, case), "form": form, "outcome": outcome},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_work_on)
def action_edit(
    request: HttpRequest, case_id: int, plan_action_id: int
) -> HttpResponse:
    """Correct an action: what, who, by when, community resource."""
    user, case = _plan_to_correct(request, case_id)
    action = (
        case.actions.select_related("owner", "outcome", "case", "community_service")
        .filter(pk=plan_action_id)
        .first()
    )
    if action is None:
        raise Http404
    form = ActionEditForm(
        request.POST if request.method == "POST" else None, action=action
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        owner = (
            None
            if d["owner"] == "family"
            else User.objects.filter(pk=int(d["owner"])).first()
        )
        try:
            _action, changed = plan_action_edit(
                action_id=action.pk,
                actor=user,
                what=d["what"],
                owner=owner,
                owner_is_family=d["owner"] == "family",
                due_on=d["due_on"],
                community=d["community"],
                community_service=_service(d["community_service"]),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            _saved_or_unchanged(request, changed, "Action")
            return redirect("casework:plan", case_id=case.pk)
    access_log_record(user=user, obj=case, request=request)
    return render(
        request,
        "casework/plan_action_edit.html",
        {"case": case, **case_heading(user, case), "form": form, "action": action},
    )
