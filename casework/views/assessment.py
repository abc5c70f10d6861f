"""The Early Help Assessment page: written, saved as you go, then completed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework.access import case_get_for_user, may_work_on
from casework.forms import AssessmentForm
from casework.models import Assessment
from casework.selectors.cases import people_on_case
from casework.services.assessment import assessment_save
from casework.views.cases import case_heading, readable_case
from core.access_log import access_log_record, access_log_record_many
from core.errors import DomainError
from core.view_access import scoped


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_work_on)
def assessment(request: HttpRequest, case_id: int) -> HttpResponse:
    """Write the Early Help Assessment; save as you go, then complete it."""
    user, case, can_work = readable_case(request, case_id)
    existing = Assessment.objects.filter(case=case).prefetch_related("people").first()
    people = list(people_on_case(case.pk))
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        people=people,
        initial=AssessmentForm.initial_from(existing),
    )
    completed = existing is not None and existing.completed_at is not None
    if request.method == "POST" and form.is_valid():
        complete = "complete" in request.POST
        try:
            assessment_save(
                case_id=case.pk, actor=user, data=form.to_input(), complete=complete
            )
        except DomainError as exc:
            if completed:
                # A page from before it was completed: the answers show now,
                # with why nothing was changed.
                messages.error(request, exc.message)
                return redirect("casework:assessment", case_id=case.pk)
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                "Assessment completed: these scores are the baseline."
                if complete
                else "Assessment saved.",
            )
            return redirect("casework:case", case_id=case.pk)
    access_log_record(user=user, obj=case, request=request)
    access_log_record_many(user=user, objs=people, action="view", request=request)
    return render(
        request,
        "casework/assessment.html",
        {
            "case": case,
            **case_heading(user, case),
            "form": form,
            "completed": completed,
            # A completed assessment, or one the reader may not change, is
            # shown as answers, not as a form.
            "read_only": completed or not can_work,
            "assessment": existing,
            "can_work": can_work,
        },
    )
