"""Casework pages: caseloads and the case."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.roles import Role
from casework.access import (
    case_get_for_user,
    case_queryset_for_user,
    may_lead,
    may_work_on,
)
from casework.assessment import assessment_save
from casework.closure import case_close, case_closure_sign_off, case_reopen
from casework.forms import AssessmentForm, ClosureForm, ReviewForm
from casework.models import (
    ActionStatus,
    Assessment,
    Case,
    NoteKind,
    PlanAction,
    StepUpOutcome,
    WheelDomain,
)
from casework.plan import plan_action_add, plan_action_progress, plan_outcome_add
from casework.reviews import next_review_due, review_record
from casework.selectors import (
    ASSESSMENT_TARGET,
    case_page_data,
    case_team,
    caseload_for_user,
    dashboard_for_user,
    people_on_case,
)
from casework.services import (
    case_member_add,
    case_member_remove,
    case_note_add,
    case_step_up,
    step_up_outcome_record,
)
from core.access_log import access_log_record, access_log_record_many
from core.errors import DomainError
from core.forms import GovukFormMixin
from core.view_access import scoped

CASEWORK_ROLES = (Role.PRACTITIONER, Role.LOCALITY_MANAGER, Role.REQUESTER)


def workable_case(request: HttpRequest, case_id: int) -> tuple[User, Case]:
    """The signed-in user and the case, if they may work on it; 404 otherwise
    (the same answer as a case that does not exist)."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not may_work_on(user, case):
        raise Http404
    return user, case


def _readable_case(request: HttpRequest, case_id: int) -> tuple[User, Case, bool]:
    """The case file's pages (assessment, reviews): read by anyone who sees the
    whole case (its workers, and auditors while their round is open), changed
    only by those who may work on it. Partners on the team see the team view
    only. Returns whether the user may change it; 404 as for a missing case."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or user.role == Role.REQUESTER:
        raise Http404
    can_work = may_work_on(user, case)
    if request.method == "POST" and not can_work:
        raise Http404
    return user, case, can_work


@never_cache
@login_required
@scoped(case_queryset_for_user)
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
            # Partners on a team see the team and the plan, not the family.
            "children": []
            if user.role == Role.REQUESTER
            else [p for p in case.people.all() if p.role == "child"],
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
@scoped(case_get_for_user)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None:
        raise Http404
    access_log_record(user=user, obj=case, request=request)
    if user.role == Role.REQUESTER:
        # Team members from partner organisations see the team and the plan only.
        context = {"case": case, "team": case_team(case)}
        return render(request, "casework/case_team_view.html", context)
    data = case_page_data(case)
    # The household's other people are shown in passing: their reads count too.
    access_log_record_many(
        user=user,
        objs=[*data["people"], *data["household_others"]],
        action="view",
        request=request,
    )
    return render(
        request,
        "casework/case.html",
        {
            "case": case,
            "can_work": may_work_on(user, case),
            "can_lead": may_lead(user, case),
            "note_kinds": NoteKind.choices,
            **data,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_work_on)
def assessment(request: HttpRequest, case_id: int) -> HttpResponse:
    """Write the Early Help Assessment; save as you go, then complete it."""
    user, case, can_work = _readable_case(request, case_id)
    existing = Assessment.objects.filter(case=case).prefetch_related("people").first()
    people = list(people_on_case(case.pk))
    form = AssessmentForm(
        request.POST or None,
        people=people,
        initial=AssessmentForm.initial_from(existing),
    )
    if not can_work:
        for field in form.fields.values():
            field.disabled = True
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
    access_log_record_many(user=user, objs=people, action="view", request=request)
    return render(
        request,
        "casework/assessment.html",
        {
            "case": case,
            "form": form,
            "completed": existing is not None and existing.completed_at is not None,
            "assessment": existing,
            "can_work": can_work,
        },
    )


@never_cache
@login_required
@require_POST
@scoped(case_get_for_user, may_lead)
def team_change(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add someone to the team around the family, or take them off."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not may_lead(user, case):
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
@scoped(case_get_for_user, may_work_on)
def close(request: HttpRequest, case_id: int) -> HttpResponse:
    """Close the case; a second person closing at the same moment is told it is
    already closed."""
    user, case = workable_case(request, case_id)
    people = list(people_on_case(case.pk))
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
    access_log_record_many(user=user, objs=people, action="view", request=request)
    return render(request, "casework/close.html", {"case": case, "form": form})


class OutcomeForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Outcome, in the family's words",
        widget=forms.Textarea({"rows": 2}),
        max_length=2000,
        error_messages={"required": "Enter the outcome, in the family's words"},
    )
    domain = forms.ChoiceField(
        label="Part of the family wheel",
        choices=[("", "Choose")] + list(WheelDomain.choices),
        error_messages={"required": "Choose the part of the family wheel it is about"},
    )


class ActionForm(GovukFormMixin, forms.Form):
    outcome = forms.TypedChoiceField(label="Towards the outcome", coerce=int)
    what = forms.CharField(
        label="What will be done",
        widget=forms.Textarea({"rows": 2}),
        max_length=2000,
        error_messages={"required": "Enter what will be done"},
    )
    owner = forms.ChoiceField(label="Who will do it")
    due_on = forms.DateField(
        label="By when",
        help_text="For example, 2026-12-18",
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    community = forms.BooleanField(
        label="A community resource will deliver this", required=False
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = [(o.pk, o.text[:80]) for o in case.outcomes.all()]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("family", "The family")] + [
            (str(m.user_id), m.user.display_name)
            for m in case.members.select_related("user")
        ]


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
    action_form = ActionForm(
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
                target.add_error(
                    exc.field if exc.field in target.fields else None, exc.message
                )
            else:
                messages.error(request, exc.message)
    access_log_record(user=user, obj=case, request=request)
    outcomes = list(
        case.outcomes.prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.select_related("owner"))
        )
    )
    actions = [a for o in outcomes for a in o.actions.all()]
    return render(
        request,
        "casework/plan.html",
        {
            "case": case,
            "outcomes": outcomes,
            "can_work": can_work,
            "outcome_form": outcome_form,
            "action_form": action_form,
            "form": outcome_form if outcome_form.errors else action_form,
            "no_community_action": bool(actions)
            and not any(a.community for a in actions),
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_work_on)
def reviews(request: HttpRequest, case_id: int) -> HttpResponse:
    """The plan's reviews, when the next is due, and a new review."""
    user, case, can_work = _readable_case(request, case_id)
    people = list(people_on_case(case.pk))
    form = ReviewForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            review_record(case_id=case.pk, actor=user, data=form.to_input())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Review recorded.")
            return redirect("casework:reviews", case_id=case.pk)
    held = list(case.reviews.select_related("recorded_by"))
    assessed_at = (
        Assessment.objects.filter(case=case)
        .values_list("completed_at", flat=True)
        .first()
    )
    due = next_review_due(case, held[-1] if held else None, assessed_at)
    access_log_record(user=user, obj=case, request=request)
    access_log_record_many(user=user, objs=people, action="view", request=request)
    return render(
        request,
        "casework/reviews.html",
        {
            "case": case,
            "reviews": held,
            "due": due,
            "overdue": due is not None and due < timezone.localdate(),
            "form": form,
            "can_work": can_work,
        },
    )


@never_cache
@login_required
@require_POST
@scoped(case_get_for_user, may_work_on)
def note(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a note to the chronology."""
    user, case = workable_case(request, case_id)
    try:
        case_note_add(
            case_id=case.pk,
            actor=user,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            significant=request.POST.get("significant") == "1",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Note added.")
    return redirect("casework:case", case_id=case.pk)


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


@never_cache
@login_required
@require_POST
@scoped(case_get_for_user, may_work_on)
def closure_action(request: HttpRequest, case_id: int) -> HttpResponse:
    """A manager signs a closure off; the case's workers reopen a recent one."""
    user, case = workable_case(request, case_id)
    try:
        if request.POST.get("do") == "sign_off":
            if user.role != Role.LOCALITY_MANAGER:
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


@never_cache
@login_required
@scoped(case_queryset_for_user)
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs doing: assessments due, reviews overdue, actions due, and for
    managers closures waiting for sign-off."""
    user = cast(User, request.user)  # login_required
    if user.role not in (Role.PRACTITIONER, Role.LOCALITY_MANAGER):
        raise Http404
    data = dashboard_for_user(user, timezone.localdate())
    return render(request, "casework/dashboard.html", data)
