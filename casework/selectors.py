"""Reads of cases, with the joins their pages need."""

from __future__ import annotations

import datetime as dt
import json
from datetime import timedelta
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet

from casework.access import case_queryset_for_user
from casework.models import OPEN_STATUSES, Case, CaseClosure, CaseMember, CaseStatus
from core.codes import Ethnicity, Relationship, Sex
from families.models import Person
from localities.models import Locality

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


# --- Person records ----------------------------------------------------------------


HISTORY_LABELS = {
    "given_name": "First name",
    "family_name": "Last name",
    "date_of_birth": "Date of birth",
    "expected": "Not born yet",
    "sex": "Sex",
    "ethnicity": "Ethnicity",
    "relationship": "Relationship",
    "postcode": "Postcode",
    "address_line": "Address",
    "locality": "Locality",
    "family": "Household",
    "member": "Household member",
}
_CODES: dict[str, Any] = {
    "sex": Sex,
    "ethnicity": Ethnicity,
    "relationship": Relationship,
}


def _history_value(name: str, value: Any, localities: dict[int, str]) -> Any:
    """A stored before/after value as people read it."""
    if value is None or value == "":
        return None
    if name in _CODES:
        return dict(_CODES[name].choices).get(value, value)
    if name == "locality":
        return localities.get(value, value)
    if name == "family":
        return f"Household {value}"
    if name == "member":
        return f"Person {value}"
    if name == "expected":
        return "Yes" if value else "No"
    if name == "date_of_birth":
        try:
            return dt.date.fromisoformat(str(value)).strftime("%-d %B %Y")
        except ValueError:
            return value
    return value


def record_history(obj: Any) -> list[dict[str, Any]]:
    """Who changed a family or person record, when, and from what to what
    (newest first; one query)."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
        )
        .select_related("user")
        .order_by("-action_time", "-pk")
    )
    names = dict(Locality.objects.values_list("pk", "name"))
    history = []
    for entry in entries:
        try:
            change = json.loads(entry.change_message)
        except ValueError:
            change = {}
        before, after = change.get("before") or {}, change.get("after") or {}
        history.append(
            {
                "at": entry.action_time,
                "who": getattr(entry.user, "display_name", ""),
                "changes": [
                    {
                        "field": HISTORY_LABELS.get(name, name),
                        "before": _history_value(name, before.get(name), names),
                        "after": _history_value(name, value, names),
                    }
                    for name, value in sorted(after.items())
                ],
            }
        )
    return history


def person_involvement(user: Any, person: Person) -> dict[str, Any]:
    """Who else is involved with a person, within what the viewer may see:
    the cases of their household and of the forms about them, those forms, and
    everyone on those cases' teams or who asked for help (a fixed number of
    queries)."""
    from family_connect.access import form_queryset_for_user
    from family_connect.models import FamilyConnectForm

    visible_cases = case_queryset_for_user(user)
    forms_about = FamilyConnectForm.objects.filter(members__person=person).values("pk")
    forms = list(
        FamilyConnectForm.objects.filter(pk__in=forms_about)
        .filter(
            Q(pk__in=form_queryset_for_user(user).values("pk"))
            | Q(case__in=visible_cases.values("pk"))
        )
        .select_related("organisation", "requester__organisation", "locality")
        .order_by("-received_at")
    )
    case_ids = Q(family_id=person.family_id) if person.family_id else Q(pk__in=[])
    case_ids |= Q(pk__in=[f.case_id for f in forms if f.case_id])
    cases = list(
        visible_cases.filter(case_ids)
        .select_related("locality", "lead_practitioner")
        .order_by("-opened_at")
    )
    members = (
        CaseMember.objects.filter(case__in=[c.pk for c in cases])
        .select_related("user", "user__organisation")
        .order_by("user__full_name", "case_id")
    )
    people: dict[int, dict[str, Any]] = {}
    for m in members:
        entry = people.setdefault(
            m.user_id, {"user": m.user, "cases": [], "forms": [], "lead": False}
        )
        entry["cases"].append(m.case_id)
        entry["lead"] = entry["lead"] or m.is_lead
    for f in forms:
        if f.requester_id is not None and f.requester is not None:
            entry = people.setdefault(
                f.requester_id,
                {"user": f.requester, "cases": [], "forms": [], "lead": False},
            )
            entry["forms"].append(f.reference)
    return {
        "cases": cases,
        "forms": forms,
        "involved": sorted(people.values(), key=lambda e: e["user"].display_name),
    }
