"""Family and person records: changes with their history, and moving a person to
another household.

Every change locks the record, writes the new values and one change-log entry
(who, when, before and after; ``core.change_log``) in the same transaction, so
the history on the person page is complete. A person is in one household at a
time: moving them changes their household, and the old one keeps its history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework import events
from casework.models import OPEN_STATUSES, Case, CasePerson, CasePersonSource
from core import clock
from core.change_log import change_record
from core.codes import Ethnicity, MemberRole, Relationship, Sex
from core.errors import Conflict, InvalidInput
from families.models import Family, Person
from families.names import name_key
from localities.postcodes import locality_for_postcode, postcode_normalise

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "expected",
    "sex",
    "ethnicity",
    "relationship",
)
FAMILY_FIELDS = ("postcode", "address_line")


@dataclass(frozen=True)
class PersonInput:
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    expected: bool = False
    sex: str = ""
    ethnicity: str = ""
    relationship: str = ""


def _values(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def _changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in after.items() if before.get(k) != v}


def _person_clean(data: PersonInput, role: str) -> PersonInput:
    given, family = data.given_name.strip(), data.family_name.strip()
    if not given:
        raise InvalidInput("Enter their first name", field="given_name")
    if not family:
        raise InvalidInput("Enter their last name", field="family_name")
    if len(given) > 100 or len(family) > 100:
        raise InvalidInput("Names must be 100 characters or fewer", field="given_name")
    today = timezone.localdate()
    if data.date_of_birth and data.date_of_birth > today and not data.expected:
        raise InvalidInput(
            "Date of birth must be today or in the past", field="date_of_birth"
        )
    if data.expected and role != "child":
        raise InvalidInput("Only a child can be expected", field="expected")
    for name, codes in (
        ("sex", Sex),
        ("ethnicity", Ethnicity),
        ("relationship", Relationship),
    ):
        value = getattr(data, name)
        if value and value not in codes.values:
            raise InvalidInput(f"Choose a {name} from the list", field=name)
    return PersonInput(
        given_name=given,
        family_name=family,
        date_of_birth=data.date_of_birth,
        expected=data.expected,
        sex=data.sex,
        ethnicity=data.ethnicity,
        relationship=data.relationship,
    )


def person_update(*, person_id: int, actor: User, data: PersonInput) -> Person:
    """Correct a person's details. Preconditions: the caller resolved the person
    through ``access.person_queryset_for_user``."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        clean = _person_clean(data, person.role)
        before = _values(person, PERSON_FIELDS)
        after = {f: getattr(clean, f) for f in PERSON_FIELDS}
        changed = _changed(before, after)
        if not changed:
            return person
        for name, value in changed.items():
            setattr(person, name, value)
        person.given_name_key = name_key(person.given_name)
        person.family_name_key = name_key(person.family_name)
        person.save()
        change_record(
            actor=actor,
            obj=person,
            before={k: before[k] for k in changed},
            after=changed,
        )
    return person


def family_update(
    *, family_id: int, actor: User, postcode: str, address_line: str
) -> Family:
    """Record a household's new address; the locality follows the postcode
    (open cases stay with their locality until a manager transfers them)."""
    normalised = postcode_normalise(postcode)
    if normalised is None:
        raise InvalidInput("Enter a real postcode, like B23 6TJ", field="postcode")
    address_line = (address_line or "").strip()
    if len(address_line) > 200:
        raise InvalidInput(
            "The address must be 200 characters or fewer", field="address_line"
        )
    with transaction.atomic():
        family = Family.objects.select_for_update().get(pk=family_id)
        before = {**_values(family, FAMILY_FIELDS), "locality": family.locality_id}
        locality = locality_for_postcode(normalised)
        after = {
            "postcode": normalised,
            "address_line": address_line,
            "locality": locality.pk if locality else family.locality_id,
        }
        changed = _changed(before, after)
        if not changed:
            return family
        family.postcode = normalised
        family.address_line = address_line
        if locality is not None:
            family.locality = locality
        family.save()
        change_record(
            actor=actor,
            obj=family,
            before={k: before[k] for k in changed},
            after=changed,
        )
    return family


def person_move(*, person_id: int, actor: User, family_id: int) -> Person:
    """Move a person to another household (they are in one at a time); both
    the person's and the two households' histories record it. Preconditions:
    the caller resolved the person and the household through the access
    module."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        if person.family_id == family_id:
            raise InvalidInput("They already live in this household", field="family")
        target = Family.objects.select_for_update().get(pk=family_id)
        source_id = person.family_id
        person.family = target
        person.save(update_fields=["family", "updated_at"])
        change_record(
            actor=actor,
            obj=person,
            before={"family": source_id},
            after={"family": target.pk},
        )
        if source_id is not None:
            change_record(
                actor=actor,
                obj=Family(pk=source_id),
                before={"member": person.pk},
                after={"member": None},
            )
        change_record(
            actor=actor,
            obj=target,
            before={"member": None},
            after={"member": person.pk},
        )
    return person


def case_person_add(
    *,
    case_id: int,
    actor: User,
    person_id: int | None = None,
    role: str = "",
    data: PersonInput | None = None,
) -> Person:
    """Add someone to an open case (INDICATORS.md, settled reading 23): a
    member of its household who is not on it yet, or someone new — a baby born
    since, an adult who has moved in — who joins the household too. Only this
    case gains them; the household's other cases keep the people they had.
    Preconditions: ``access.may_work_on`` for the case."""
    if (person_id is None) == (data is None):
        raise InvalidInput("Choose who to add to the case", field="person")
    if data is not None:
        if role not in MemberRole.values:
            raise InvalidInput(
                "Choose whether they are a child or an adult", field="role"
            )
        data = _person_clean(data, role)
        if role == MemberRole.CHILD and data.date_of_birth is None:
            raise InvalidInput(
                "Enter the child's date of birth (or due date)", field="date_of_birth"
            )
        if role == MemberRole.ADULT and not data.relationship:
            raise InvalidInput(
                "Choose their relationship to the children", field="relationship"
            )
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status not in OPEN_STATUSES:
            raise Conflict("The case is closed: people can be added to open cases.")
        on_case = set(case.people.values_list("pk", flat=True))
        if data is not None:
            person = _household_person_new(case, actor, role, data, on_case)
        else:
            assert person_id is not None
            found = Person.objects.filter(
                pk=person_id, family_id=case.family_id
            ).first()
            if found is None:
                raise InvalidInput(
                    "Choose someone in the family's household", field="person"
                )
            if found.pk in on_case:
                raise InvalidInput(
                    f"{found.given_name} {found.family_name} is already on the case",
                    field="person",
                )
            person = found
        CasePerson.objects.create(
            case=case,
            locality_id=case.locality_id,
            person=person,
            added_at=now,
            added_by=actor,
            source=CasePersonSource.ADDED,
        )
        events.person_added(
            case, actor=actor, at=now, person=person, new=data is not None
        ).save()
    return person


def _household_person_new(
    case: Case, actor: User, role: str, data: PersonInput, on_case: set[int]
) -> Person:
    """A new person in the case's household, unless the household already
    holds someone with that name and date of birth (then add them instead: one
    record per person)."""
    same = Person.objects.filter(
        family_id=case.family_id,
        given_name_key=name_key(data.given_name),
        family_name_key=name_key(data.family_name),
        date_of_birth=data.date_of_birth,
    ).first()
    if same is not None:
        if same.pk in on_case:
            message = f"{same.given_name} {same.family_name} is already on the case"
        else:
            message = (
                f"{same.given_name} {same.family_name} is already in the household: "
                "add them to the case from the list"
            )
        raise InvalidInput(message, field="given_name")
    person = Person.objects.create(
        family_id=case.family_id,
        role=role,
        given_name_key=name_key(data.given_name),
        family_name_key=name_key(data.family_name),
        **_values(data, PERSON_FIELDS),
    )
    change_record(
        actor=actor, obj=person, before=None, after=_values(person, PERSON_FIELDS)
    )
    return person
