"""Reads of cases, with the joins their pages need."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import F, Prefetch, QuerySet

from casework.access import case_queryset_for_user
from casework.models import (
    OPEN_STATUSES,
    Case,
    CaseClosure,
    CaseMember,
    CaseStatus,
    Person,
)

ASSESSMENT_TARGET = timedelta(days=30)


def caseload_for_user(user: Any, *, include_closed: bool = False) -> QuerySet[Case]:
    """The user's cases, oldest first, with family, lead and people prefetched
    (a constant number of queries whatever the number of cases)."""
    cases = case_queryset_for_user(user)
    if not include_closed:
        cases = cases.filter(status__in=OPEN_STATUSES)
    return (
        cases.select_related("family", "locality", "lead_practitioner")
        .prefetch_related(
            Prefetch(
                "family__people",
                queryset=Person.objects.order_by("role", "date_of_birth", "pk"),
            )
        )
        .order_by("opened_at", "pk")
    )


def case_team(case: Case) -> list[CaseMember]:
    return list(
        CaseMember.objects.filter(case=case)
        .select_related("user", "user__organisation")
        .order_by("-is_lead", "user__full_name")
    )


def case_page_data(case: Case) -> dict[str, Any]:
    """What the case page shows, in a fixed number of queries."""
    return {
        "people": list(
            Person.objects.filter(family_id=case.family_id).order_by(
                "role", "date_of_birth", "pk"
            )
        ),
        "team": case_team(case),
        "forms": list(
            case.forms.order_by("received_at").only(
                "reference", "received_at", "status", "route"
            )
        ),
        "timeline": case_timeline(case),
        "closure": CaseClosure.objects.filter(case=case)
        .select_related("signed_off_by")
        .first(),
        "assessment_due": case.opened_at + ASSESSMENT_TARGET,
    }


def case_timeline(case: Case) -> list[dict[str, Any]]:
    """Notes and events in one list, newest first (two queries)."""
    entries: list[dict[str, Any]] = [
        {
            "at": e.at,
            "kind": e.kind.replace("_", " ").capitalize(),
            "who": e.actor.display_name if e.actor else "",
            "text": "",
            "significant": False,
        }
        for e in case.events.select_related("actor")
    ]
    entries += [
        {
            "at": n.happened_at,
            "kind": n.get_kind_display(),
            "who": n.author.display_name,
            "text": n.text,
            "significant": n.significant,
        }
        for n in case.notes.select_related("author")
    ]
    # Newest first; entries at the same moment keep their recorded order, reversed.
    order = {id(e): i for i, e in enumerate(entries)}
    return sorted(entries, key=lambda e: (e["at"], order[id(e)]), reverse=True)


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
    from casework.reviews import review_interval
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
