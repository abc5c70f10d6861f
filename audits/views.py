"""Audit pages: rounds, the auditor's grading page, moderation, follow-up
actions, the reports and the monthly PDF."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.navigation import breadcrumbs
from audits.access import (
    action_queryset_for_user,
    case_audit_get_for_user,
    case_audit_queryset_for_user,
    may_grade,
    may_moderate,
    may_open_audit_pages,
    may_read_reports,
    may_run_rounds,
    may_update_action,
    round_get_for_user,
    round_queryset_for_user,
)
from audits.forms import (
    ActionForm,
    GradingForm,
    ModerationForm,
    ReportFilterForm,
    RoundForm,
)
from audits.models import AuditQuestion, AuditReport, CaseAudit, ReportStatus
from audits.monthly import audit_report_request
from audits.reports import (
    Period,
    actions_open_counts,
    period_for,
    report_distributions,
    themes,
)
from audits.services import (
    audit_action_add,
    audit_action_complete,
    audit_round_close,
    audit_round_create,
    audit_sample_draw,
    case_audit_moderate,
    case_audit_save,
)
from casework.access import case_queryset_for_user
from casework.selectors.names import FamilyName, case_family_names
from core.errors import DomainError
from core.forms import month_choices, months_back
from core.periods import Month, previous_month
from core.view_access import scoped


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required


def _family_names(user: User, case_ids: set[int]) -> dict[int, FamilyName]:
    """The family names of the audited cases the user may open through the
    case's own access check (an auditor while the round is open, a case's
    workers for its actions); the others are shown by number only, as
    performance leads see every case (two queries)."""
    visible = case_queryset_for_user(user).filter(pk__in=case_ids)
    return case_family_names(visible.values_list("pk", flat=True))


@never_cache
@login_required
@scoped(case_audit_queryset_for_user, action_queryset_for_user, round_queryset_for_user)
def index(request: HttpRequest) -> HttpResponse:
    """Audits assigned to me, to moderate, rounds I run, actions I own."""
    user = _user(request)
    if not may_open_audit_pages(user):
        raise Http404
    audits = list(
        case_audit_queryset_for_user(user)
        .filter(round__status="open")
        .select_related("round", "locality")
        .order_by("round__due_on", "pk")
    )
    actions = list(
        action_queryset_for_user(user)
        .filter(owner=user, status="open")
        .select_related("audit")
        .order_by("due_on")
    )
    rounds = list(round_queryset_for_user(user)[:50]) if may_run_rounds(user) else []
    names = _family_names(
        user, {a.case_id for a in audits} | {a.audit.case_id for a in actions}
    )
    for audit in audits:
        audit.family = names.get(audit.case_id)  # type: ignore[attr-defined]
    for action in actions:
        action.family = names.get(action.audit.case_id)  # type: ignore[attr-defined]
    return render(
        request,
        "audits/index.html",
        {
            "mine": [a for a in audits if a.auditor_id == user.pk],
            "to_moderate": [
                a
                for a in audits
                if a.round is not None
                and a.round.moderator_id == user.pk
                and a.status == CaseAudit.Status.SUBMITTED
            ],
            "actions": actions,
            "rounds": rounds,
            "can_run": may_run_rounds(user),
            "can_report": may_read_reports(user),
            "today": timezone.localdate(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(may_run_rounds)
def round_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_run_rounds(user):
        raise Http404
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            audit_round = audit_round_create(actor=user, data=form.to_input())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Round set up. Draw the sample to open it.")
            return redirect("audits:round", round_id=audit_round.pk)
    return render(request, "audits/round_new.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(round_get_for_user)
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    user = _user(request)
    audit_round = round_get_for_user(user, round_id)
    if audit_round is None:
        raise Http404
    if request.method == "POST":
        if not may_run_rounds(user):
            raise Http404
        try:
            if request.POST.get("do") == "draw":
                drawn = audit_sample_draw(round_id=audit_round.pk, actor=user)
                messages.success(
                    request,
                    f"{len(drawn)} case{'' if len(drawn) == 1 else 's'} drawn. "
                    "The round is open.",
                )
            elif request.POST.get("do") == "close":
                audit_round_close(round_id=audit_round.pk, actor=user)
                messages.success(
                    request, "Round closed. The auditors' access has ended."
                )
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("audits:round", round_id=audit_round.pk)
    audits = list(
        case_audit_queryset_for_user(user)
        .filter(round=audit_round)
        .select_related("locality", "auditor", "auditor__organisation", "final_grade")
        .order_by("locality__name", "case_id")
    )
    names = _family_names(user, {a.case_id for a in audits})
    for audit in audits:
        audit.family = names.get(audit.case_id)  # type: ignore[attr-defined]
    return render(
        request,
        "audits/round.html",
        {
            "round": audit_round,
            "breadcrumbs": breadcrumbs(user, ("Audits", "audits:index")),
            "audits": audits,
            "localities": list(audit_round.localities.order_by("name")),
            "auditors": list(
                audit_round.auditors.select_related("organisation").order_by("email")
            ),
            "can_run": may_run_rounds(user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_audit_get_for_user)
def case_audit(request: HttpRequest, audit_id: int) -> HttpResponse:
    """The auditor grades the case here (the case file opens read-only from a
    link); the moderator moderates; both add follow-up actions."""
    user = _user(request)
    audit = case_audit_get_for_user(user, audit_id)
    if audit is None:
        raise Http404
    questions = list(
        AuditQuestion.objects.filter(domain__template_id=audit.template_id)
        .select_related("domain")
        .order_by("domain__position", "position")
    )
    grading = may_grade(user, audit) and audit.status in (
        CaseAudit.Status.ASSIGNED,
        CaseAudit.Status.IN_PROGRESS,
    )
    moderating = (
        may_moderate(user, audit) and audit.status == CaseAudit.Status.SUBMITTED
    )
    adding = (grading or may_moderate(user, audit)) and audit.status != (
        CaseAudit.Status.FINALISED
    )
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    form = GradingForm(
        request.POST if posted == "grading" else None,
        questions=questions,
        initial=GradingForm.initial_from(audit),
    )
    moderation = ModerationForm(
        request.POST if posted == "moderation" else None,
        initial={"grade": audit.grade_id},
    )
    action_form = ActionForm(request.POST if posted == "action" else None)
    if request.method == "POST":
        try:
            if posted == "grading" and grading:
                if form.is_valid():
                    submit = "submit" in request.POST
                    case_audit_save(
                        audit_id=audit.pk,
                        actor=user,
                        data=form.to_input(),
                        submit=submit,
                    )
                    messages.success(
                        request,
                        "Audit submitted for moderation." if submit else "Saved.",
                    )
                    return redirect("audits:case_audit", audit_id=audit.pk)
            elif posted == "moderation" and moderating:
                if moderation.is_valid():
                    case_audit_moderate(
                        audit_id=audit.pk,
                        actor=user,
                        grade=moderation.cleaned_data["grade"],
                        reason=moderation.cleaned_data["reason"],
                    )
                    messages.success(request, "Audit finalised.")
                    return redirect("audits:case_audit", audit_id=audit.pk)
            elif posted == "action" and adding:
                if action_form.is_valid():
                    d = action_form.cleaned_data
                    audit_action_add(
                        audit_id=audit.pk,
                        actor=user,
                        what=d["what"],
                        owner_email=d["owner"],
                        due_on=d["due_on"],
                    )
                    messages.success(request, "Action added.")
                    return redirect("audits:case_audit", audit_id=audit.pk)
            else:
                raise Http404
        except DomainError as exc:
            target: Any = {
                "grading": form,
                "moderation": moderation,
                "action": action_form,
            }[posted]
            target.add_domain_error(exc)
    answers = {a.question_id: a for a in audit.answers.select_related("grade")}
    return render(
        request,
        "audits/case_audit.html",
        {
            "audit": audit,
            "family": _family_names(user, {audit.case_id}).get(audit.case_id),
            "breadcrumbs": breadcrumbs(
                user,
                ("Audits", "audits:index"),
                (audit.round.title, reverse("audits:round", args=[audit.round_id]))
                if audit.round
                else ("", None),
            ),
            "form": form,
            "moderation": moderation,
            "action_form": action_form,
            "grading": grading,
            "moderating": moderating,
            "adding": adding,
            "answered": [(q, answers.get(q.pk)) for q in questions],
            "actions": list(audit.actions.select_related("owner")),
            "error_form": next(
                (f for f in (form, moderation, action_form) if f.errors), None
            ),
        },
    )


@login_required
@require_POST
@scoped(action_queryset_for_user, may_update_action)
def action_done(request: HttpRequest, action_id: int) -> HttpResponse:
    user = _user(request)
    action = (
        action_queryset_for_user(user)
        .select_related("audit", "audit__round")
        .filter(pk=action_id)
        .first()
    )
    if action is None or not may_update_action(user, action):
        raise Http404
    try:
        audit_action_complete(action_id=action.pk, actor=user)
        messages.success(request, "Action marked as done.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("audits:index")


def _report_period(request: HttpRequest) -> tuple[ReportFilterForm, Period]:
    """The chosen period, counted up to the end of the chosen month in
    Europe/London (or now, while that month runs); last month by default."""
    now = timezone.now()
    month = previous_month(timezone.localdate(now))
    data = request.GET.copy()
    if not data.get("month"):
        # Last month, shown chosen in the list.
        data["month"] = str(month)
    form = ReportFilterForm(data, this_month=Month.of(timezone.localdate(now)))
    kind = "month"
    if form.is_valid():
        kind = form.cleaned_data.get("kind") or "month"
        month = form.cleaned_data.get("month") or month
    return form, period_for(kind, month, until=month.until(now))


@never_cache
@login_required
@scoped(may_read_reports)
def report(request: HttpRequest) -> HttpResponse:
    """Final-grade distribution for a month, or its half year or financial year
    to the month's end, by locality and type; actions open and overdue at the
    month's end; themes; the monthly PDFs."""
    user = _user(request)
    if not may_read_reports(user):
        raise Http404
    form, period = _report_period(request)
    open_actions, overdue = actions_open_counts(as_of=period.until)
    overall, by_locality, by_type = report_distributions(
        period.first, until=period.until
    )
    return render(
        request,
        "audits/report.html",
        {
            "form": form,
            "period": period,
            "overall": overall,
            "by_locality": by_locality,
            "by_type": by_type,
            "themes": themes(period.first, until=period.until),
            "actions_open": open_actions,
            "actions_overdue": overdue,
            "pdfs": list(AuditReport.objects.defer("pdf")[:24]),
            "last_month": previous_month(timezone.localdate()),
            "pdf_months": month_choices(months_back(Month.of(timezone.localdate()))),
        },
    )


@login_required
@require_POST
@scoped(may_read_reports)
def report_pdf_request(request: HttpRequest) -> HttpResponse:
    """Produce a month's audit PDF now (the beat job does the previous month on
    the 1st)."""
    user = _user(request)
    if not may_read_reports(user):
        raise Http404
    try:
        period = Month.parse(request.POST.get("month", ""))
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("audits:report")
    if period > Month.of(timezone.localdate()):
        messages.error(request, "Choose a month that has already started.")
        return redirect("audits:report")
    audit_report_request(period=period, actor=user)
    messages.success(
        request, f"The audit report for {period.label()} is being produced."
    )
    return redirect("audits:report_pdf_status", period=str(period))


@never_cache
@login_required
@scoped(may_read_reports)
def report_pdf_status(request: HttpRequest, period: str) -> HttpResponse:
    """Progress of a month's PDF (HTML with a refresh, or JSON for scripts)."""
    user = _user(request)
    if not may_read_reports(user):
        raise Http404
    job = AuditReport.objects.defer("pdf").filter(period=period).first()
    if job is None:
        raise Http404
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {"period": job.period, "status": job.status, "progress": job.progress}
        )
    return render(request, "audits/report_pdf_status.html", {"job": job})


@never_cache
@login_required
@scoped(may_read_reports)
def report_pdf(request: HttpRequest, period: str) -> HttpResponse:
    user = _user(request)
    if not may_read_reports(user):
        raise Http404
    job = AuditReport.objects.filter(period=period, status=ReportStatus.DONE).first()
    if job is None or job.pdf is None:
        raise Http404
    response = HttpResponse(bytes(job.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="audit-report-{job.period}.pdf"'
    )
    return response
