"""What a practitioner or manager needs to act on: the dashboard's reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import F, QuerySet

from casework.access import case_queryset_for_user
from casework.models import OPEN_STATUSES, Case, CaseStatus
from casework.selectors.cases import ASSESSMENT_TARGET


def _with_due_dates(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate when each case's assessment and next review fall due."""
    from django.db.models import OuterRef, Subquery

    from casework.models import Review

    latest_review = Review.objects.filter(case=OuterRef("pk")).order_by(
        "-held_at", "-pk"
    )
    return cases.annotate(
        assessed_at=F("assessment__completed_at"),
        next_review_set=Subquery(latest_review.values("next_review_on")[:1]),
    )


def next_review_on(case: Any) -> Any:
    """The annotated case's next review date (None before the plan stage)."""
    from casework.services.reviews import review_interval
    from core.periods import local_date

    if case.status != CaseStatus.PLAN:
        return None
    if case.next_review_set is not None:
        return case.next_review_set
    if case.assessed_at is not None:
        return local_date(case.assessed_at) + review_interval()
    return None


def dashboard_for_user(user: Any, today: Any) -> dict[str, Any]:
    """What a practitioner or manager needs to act on, in a fixed number of
    queries: assessments due within 7 days or overdue, reviews overdue, their
    actions due within 14 days or overdue, cases by status, and (managers)
    closures waiting for sign-off."""
    from django.db.models import Count

    from casework.models import CaseClosure, PlanAction
    from core.periods import local_date

    cases = _with_due_dates(
        case_queryset_for_user(user)
        .filter(status__in=OPEN_STATUSES)
        .select_related("family", "lead_practitioner")
    ).order_by("opened_at", "pk")
    open_cases = list(cases)
    assessments_due = []
    reviews_overdue = []
    for case in open_cases:
        if case.status in (CaseStatus.ALLOCATED, CaseStatus.ASSESSMENT):
            due = local_date(case.opened_at + ASSESSMENT_TARGET)
            if due <= today + timedelta(days=7):
                assessments_due.append(
                    {"case": case, "due": due, "overdue": due < today}
                )
        review_due = next_review_on(case)
        if review_due is not None and review_due < today:
            reviews_overdue.append({"case": case, "due": review_due})
    by_status = dict(
        case_queryset_for_user(user)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    actions = list(
        PlanAction.objects.filter(
            owner=user,
            status__in=["not_started", "in_progress"],
            due_on__lte=today + timedelta(days=14),
            case__status__in=OPEN_STATUSES,
        )
        .select_related("case")
        .order_by("due_on")[:50]
    )
    awaiting_sign_off = (
        list(
            CaseClosure.objects.filter(
                case__in=case_queryset_for_user(user),
                case__status=CaseStatus.CLOSED,
                signed_off_at__isnull=True,
            )
            .select_related("case", "closed_by")
            .order_by("closed_at")[:50]
        )
        if getattr(user, "role", "") == "locality_manager"
        else []
    )
    return {
        "open_count": len(open_cases),
        "by_status": [(s.label, by_status.get(s.value, 0)) for s in CaseStatus],
        "assessments_due": assessments_due,
        "reviews_overdue": reviews_overdue,
        "actions": actions,
        "awaiting_sign_off": awaiting_sign_off,
    }
