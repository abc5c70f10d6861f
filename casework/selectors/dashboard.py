"""What a practitioner or manager needs to act on: the dashboard's reads."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count

from casework.access import case_queryset_for_user
from casework.models import OPEN_STATUSES, CaseClosure, CaseStatus
from casework.selectors.names import case_family_names
from casework.selectors.work import team_work_counts, work_for_user


def dashboard_for_user(user: Any, today: date) -> dict[str, Any]:
    """What a practitioner or manager needs to act on, in a fixed number of
    queries: their own work (the same list as My work, overdue first, then the
    next 14 days), cases by status, and for managers their team's counts and
    the closures waiting for sign-off."""
    cases = case_queryset_for_user(user)
    by_status = dict(
        cases.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    is_manager = getattr(user, "role", "") == "locality_manager"
    awaiting_sign_off = (
        list(
            CaseClosure.objects.filter(
                case__in=cases,
                case__status=CaseStatus.CLOSED,
                signed_off_at__isnull=True,
            )
            .select_related("case", "closed_by")
            .order_by("closed_at")[:50]
        )
        if is_manager
        else []
    )
    names = case_family_names(c.case_id for c in awaiting_sign_off)
    return {
        "open_count": sum(by_status.get(s, 0) for s in OPEN_STATUSES),
        "by_status": [(s.label, by_status.get(s.value, 0)) for s in CaseStatus],
        "work": work_for_user(user, today),
        "team": team_work_counts(user, today) if is_manager else [],
        "awaiting_sign_off": [
            {"closure": c, "family": names[c.case_id]} for c in awaiting_sign_off
        ],
    }
