"""Stepping up to children's social care from an open case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework.access import case_get_for_user, may_work_on
from casework.models import StepUpOutcome
from casework.selectors.cases import people_on_case
from casework.services.step_up import case_step_up, step_up_outcome_record
from casework.views.cases import case_heading, workable_case
from core.access_log import access_log_record, access_log_record_many
from core.errors import DomainError
from core.view_access import scoped


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_work_on)
def step_up(request: HttpRequest, case_id: int) -> HttpResponse:
    """Step up to the social care front door while the case stays open, and
    record what social care decided."""
    user, case = workable_case(request, case_id)
    error = None
    # The field that needs changing (the error summary links to it), and the
    # referral whose outcome was refused.
    error_field = None
    error_referral = None
    reason = request.POST.get("reason", "")
    if request.method == "POST":
        try:
            if request.POST.get("referral"):
                referral = case.social_care_referrals.filter(
                    pk=int(request.POST["referral"])
                ).first()
                if referral is None:
                    raise Http404
                error_referral = referral.pk
                step_up_outcome_record(
                    referral_id=referral.pk,
                    actor=user,
                    outcome=request.POST.get("outcome", ""),
                )
                messages.success(request, "Outcome recorded.")
            else:
                case_step_up(
                    case_id=case.pk,
                    actor=user,
                    person_ids=[int(p) for p in request.POST.getlist("people")],
                    reason=reason,
                )
                messages.success(request, "Step-up recorded. The case stays open.")
            return redirect("casework:step_up", case_id=case.pk)
        except ValueError:
            raise Http404 from None
        except DomainError as exc:
            error = exc.message
            error_field = exc.field
    # Children first: they are the ones usually referred.
    people = list(people_on_case(case.pk).order_by("-role", "date_of_birth", "pk"))
    error_link = {
        "people": f"person-{people[0].pk}" if people else None,
        "reason": "reason",
        "outcome": f"outcome-{error_referral}",
    }.get(error_field or "")
    # A refused step-up keeps what was chosen and written; otherwise the
    # children are ticked to start with.
    refused_step_up = error is not None and error_referral is None
    chosen = (
        {int(p) for p in request.POST.getlist("people")}
        if refused_step_up
        else {p.pk for p in people if p.role == "child"}
    )
    access_log_record(user=user, obj=case, request=request)
    access_log_record_many(user=user, objs=people, action="view", request=request)
    return render(
        request,
        "casework/step_up.html",
        {
            "case": case,
            **case_heading(user, case),
            "people": people,
            "referrals": case.social_care_referrals.select_related("person").order_by(
                "-referred_at"
            ),
            "outcomes": StepUpOutcome.choices,
            "error": error,
            "error_field": error_field,
            "error_link": error_link,
            "error_referral": error_referral,
            "chosen": chosen,
            "reason": reason if refused_step_up else "",
        },
    )
