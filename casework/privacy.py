"""What the data protection officer answers for (selectors): which records
belong to a person, and who viewed them (QUALITY §2)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from casework.models import Case, Person
from core.models import AccessLog
from family_connect.models import FamilyConnectForm


def person_record_keys(person: Person) -> dict[str, list[str]]:
    """The access-log keys of everything that shows the person: their own
    record, their household, the household's cases and every form naming them
    or their household — object type → ids."""
    forms = Q(members__person=person)
    cases: list[str] = []
    if person.family_id is not None:
        forms |= Q(family_id=person.family_id)
        cases = [
            str(pk)
            for pk in Case.objects.filter(family_id=person.family_id).values_list(
                "pk", flat=True
            )
        ]
    keys = {
        "casework.person": [str(person.pk)],
        "casework.family": [str(person.family_id)] if person.family_id else [],
        "casework.case": cases,
        "family_connect.familyconnectform": [
            str(pk)
            for pk in FamilyConnectForm.objects.filter(forms)
            .values_list("pk", flat=True)
            .distinct()
        ],
    }
    return {kind: ids for kind, ids in keys.items() if ids}


def who_viewed(person: Person) -> QuerySet[AccessLog]:
    """Every read of the person's records, newest first."""
    wanted = Q(pk__in=[])
    for kind, ids in person_record_keys(person).items():
        wanted |= Q(object_type=kind, object_id__in=ids)
    return AccessLog.objects.filter(wanted).order_by("-at", "-pk")
