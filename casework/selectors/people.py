"""Reads of person records: their history, and who else is involved."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import Q

from casework.access import case_queryset_for_user
from casework.models import CaseMember
from casework.selectors.names import case_family_names
from core.codes import Ethnicity, Relationship, Sex
from families.models import Person
from localities.models import Locality

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
    names = case_family_names(c.pk for c in cases)
    members = (
        CaseMember.objects.filter(case__in=[c.pk for c in cases])
        .select_related("user", "user__organisation")
        .order_by("user__full_name", "case_id")
    )
    people: dict[int, dict[str, Any]] = {}
    for m in members:
        entry = people.setdefault(
            m.user_id,
            {"user": m.user, "cases": [], "case_names": [], "forms": [], "lead": False},
        )
        entry["cases"].append(m.case_id)
        entry["case_names"].append(names[m.case_id].title)
        entry["lead"] = entry["lead"] or m.is_lead
    for f in forms:
        if f.requester_id is not None and f.requester is not None:
            entry = people.setdefault(
                f.requester_id,
                {
                    "user": f.requester,
                    "cases": [],
                    "case_names": [],
                    "forms": [],
                    "lead": False,
                },
            )
            entry["forms"].append(f.reference)
    return {
        "cases": cases,
        # Each case known by its family's name, as everywhere else.
        "case_rows": [(c, names[c.pk]) for c in cases],
        "forms": forms,
        "involved": sorted(people.values(), key=lambda e: e["user"].display_name),
    }
