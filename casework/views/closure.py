"""Closing a case, signing the closure off, and reopening it."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from casework.access import case_get_for_user, may_sign_off_closure, may_work_on
from casework.forms import ClosureForm
from casework.models import Answer, CaseClosure, CaseStatus, WheelDomain
from casework.selectors.cases import people_on_case
from casework.selectors.closure import children_without_answers, open_plan_actions
from casework.selectors.progress import case_progress
from casework.services.closure import (
    case_close,
    case_closure_sign_off,
    case_reopen,
    sign_off_refusal,
)
from casework.views.cases import case_heading, workable_case
from core.access_log import access_log_record, access_log_record_many
from core.errors import DomainError
from core.templatetags.govuk import govuk_date
from core.view_access import scoped


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_work_on)
def close(request: HttpRequest, case_id: int) -> HttpResponse:
    """Close the case; a second person closing at the same moment is told it is
    already closed."""
    user, case = workable_case(request, case_id)
    people = list(people_on_case(case.pk))
    open_actions = list(open_plan_actions(case.pk))
    form = ClosureForm(
        request.POST if request.method == "POST" else None,
        people=people,
        open_actions=bool(open_actions),
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_close(case_id=case.pk, actor=user, data=form.to_input())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, "Case closed. A manager will sign the closure off."
            )
            return redirect("casework:case", case_id=case.pk)
    # A closed case shows its closure as recorded (a page from before it was
    # closed says why nothing was changed above it), not the form again.
    closure = (
        CaseClosure.objects.select_related("closed_by", "signed_off_by")
        .prefetch_related("people__person")
        .filter(case=case)
        .first()
    )
    access_log_record(user=user, obj=case, request=request)
    access_log_record_many(user=user, objs=people, action="view", request=request)
    return render(
        request,
        "casework/close.html",
        {
            "case": case,
            "form": form,
            "closure": closure,
            "closure_rows": _closure_rows(closure) if closure else [],
            "open_actions": open_actions,
            "missing_answers": children_without_answers(case.pk, people),
            **case_heading(user, case),
        },
    )


def _closure_rows(closure: CaseClosure) -> list[tuple[str, str]]:
    """The closure as recorded, for its summary list."""

    def score(value: int | None) -> str:
        return "Not scored" if value is None else str(value)

    rows = [
        (
            "Closed",
            f"{govuk_date(closure.closed_at)} by {closure.closed_by.display_name}",
        ),
        ("Reason", closure.get_reason_display()),
        *[
            (f"Family wheel at closure: {d.label}", score(getattr(closure, d.value)))
            for d in WheelDomain
        ],
    ]
    for row in sorted(
        closure.people.all(), key=lambda r: (r.person.given_name, r.person_id)
    ):
        name = row.person.given_name
        rows.append((f"Overall score at closure for {name}", score(row.score)))
        if row.person.role == "child":
            feels = ", ".join(
                f"{question}: {Answer(answer).label.lower() if answer else 'not asked'}"
                for question, answer in (
                    ("happy", row.happy),
                    ("healthy", row.healthy),
                    ("safe", row.safe),
                )
            )
            rows.append((f"Does {name} feel happy, healthy and safe?", feels))
    feedback = (
        f"{closure.family_feedback_score} out of 5"
        if closure.family_feedback_score
        else "Not given"
    )
    if closure.family_feedback_comment:
        feedback += f"\n{closure.family_feedback_comment}"
    rows.append(("Family feedback", feedback))
    rows.append(
        (
            "Signed off",
            f"{govuk_date(closure.signed_off_at)} by "
            f"{closure.signed_off_by.display_name}"
            if closure.signed_off_at and closure.signed_off_by
            else "Not yet",
        )
    )
    return rows


@never_cache
@login_required
@require_http_methods(["GET"])
@scoped(case_get_for_user, may_sign_off_closure)
def closure_sign_off(request: HttpRequest, case_id: int) -> HttpResponse:
    """The closure a manager signs off, against the baseline: the family wheel
    and each person's score at the assessment and at closure, and the distance
    travelled between. The button posts to ``closure_action``."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not may_sign_off_closure(user, case):
        raise Http404
    closure = (
        CaseClosure.objects.select_related("closed_by", "signed_off_by")
        .filter(case=case)
        .first()
        if case.status == CaseStatus.CLOSED
        else None
    )
    progress = case_progress(case)
    access_log_record(user=user, obj=case, request=request)
    access_log_record_many(
        user=user, objs=progress.people, action="view", request=request
    )
    return render(
        request,
        "casework/closure_sign_off.html",
        {
            "case": case,
            "closure": closure,
            "progress": progress,
            "may_sign": sign_off_refusal(closure, user) is None,
            **case_heading(user, case),
        },
    )


@never_cache
@login_required
@require_POST
@scoped(case_get_for_user, may_work_on)
def closure_action(request: HttpRequest, case_id: int) -> HttpResponse:
    """A manager signs a closure off; the case's workers reopen a recent one."""
    user, case = workable_case(request, case_id)
    try:
        if request.POST.get("do") == "sign_off":
            if not may_sign_off_closure(user, case):
                raise Http404
            case_closure_sign_off(case_id=case.pk, actor=user)
            messages.success(request, "Closure signed off.")
        elif request.POST.get("do") == "reopen":
            case_reopen(
                case_id=case.pk, actor=user, reason=request.POST.get("reason", "")
            )
            messages.success(request, "Case reopened.")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("casework:case", case_id=case.pk)
