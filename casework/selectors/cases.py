"""Reads of cases: caseloads, the case page, its people and team."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet

from casework.access import case_queryset_for_user
from casework.models import OPEN_STATUSES, Case, CaseClosure, CaseMember
from families.models import Person

ASSESSMENT_TARGET = timedelta(days=30)

# The order people are listed in on a case: adults, then children, eldest first.
PEOPLE_ORDER = ("role", "date_of_birth", "pk")


def people_on_case(case_id: int) -> QuerySet[Person]:
    """The people a case is about (INDICATORS.md, settled reading 23): those
    named on the form that opened it and anyone added since — not whoever
    lives in the household today."""
    return Person.objects.filter(case_places__case_id=case_id).order_by(*PEOPLE_ORDER)


def household_not_on_case(case: Case) -> QuerySet[Person]:
    """The household's people who are not on the case (a baby born since, say):
    the case's workers may add them."""
    return (
        Person.objects.filter(family_id=case.family_id)
        .exclude(case_places__case_id=case.pk)
        .order_by(*PEOPLE_ORDER)
    )


def caseload_for_user(user: Any, *, include_closed: bool = False) -> QuerySet[Case]:
    """The user's cases, oldest first, with family, lead and people prefetched
    (a constant number of queries whatever the number of cases)."""
    cases = case_queryset_for_user(user)
    if not include_closed:
        cases = cases.filter(status__in=OPEN_STATUSES)
    return (
        cases.select_related("family", "locality", "lead_practitioner")
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.order_by(*PEOPLE_ORDER))
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
        "people": list(people_on_case(case.pk)),
        "household_others": list(household_not_on_case(case)),
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


def household_open_case(family_ids: list[int]) -> Case | None:
    """The open case intake attaches a strongly matched form to, newest first
    (``family_connect.household_cases``)."""
    return (
        Case.objects.select_related("lead_practitioner")
        .filter(family_id__in=family_ids, status__in=OPEN_STATUSES)
        .order_by("-opened_at")
        .first()
    )


def household_case_localities(family_ids: list[int]) -> Iterable[tuple[int, int]]:
    """The localities of the households' cases, for intake's cross-locality
    links (``family_connect.household_cases``)."""
    return Case.objects.filter(family_id__in=family_ids).values_list(
        "family_id", "locality_id"
    )
