"""Households and people, for a batch (``records_import.bulk``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from casework.models import ImportedEpisode
from families.models import Family, Person
from families.names import name_key
from localities.models import Locality
from records_import.bulk.written import Written
from records_import.episodes import Episode, Household, Member
from records_import.load import PERSON_FIELDS


def households_write(
    items: list[tuple[Episode, str]], localities: dict[str, Locality]
) -> tuple[list[Written], dict[str, Person]]:
    """Households and people, replayed in file order as the services would: the
    latest episode by receipt holds a household's address and its people's
    details. Each episode's case is about the people that episode names."""
    household_ids = {e.household.external_id for e, _d in items}
    person_ids = {m.external_id for e, _d in items for m in e.household.members}
    families = {
        f.external_id: f for f in Family.objects.filter(external_id__in=household_ids)
    }
    by_pk = {f.pk: f for f in families.values()}
    people: dict[str, Person] = {
        str(p.external_id): p for p in Person.objects.filter(external_id__in=person_ids)
    }
    latest: dict[str, dt.datetime] = dict(
        ImportedEpisode.objects.filter(household_external_id__in=household_ids)
        .values("household_external_id")
        .annotate(at=Max("received_at"))
        .values_list("household_external_id", "at")
    )
    family_before = {
        f.pk: (f.postcode, f.address_line, f.locality_id) for f in families.values()
    }
    new_families: list[Family] = []
    people_seen = _People(people)
    written = []
    for e, digest in items:
        h = e.household
        key = h.external_id
        received = e.request.received_at
        current = key not in latest or received >= latest[key]
        latest[key] = max(received, latest.get(key, received))
        family = families.get(key)
        if family is None:
            family = Family(external_id=key)
            families[key] = family
            new_families.append(family)
        _family_update(family, e, localities, current=current)
        for m in h.members:
            people_seen.member(m, family, current=current)
        written.append(Written(episode=e, digest=digest, family=family))
    Family.objects.bulk_create(new_families)
    changed_families = [
        f
        for pk, f in by_pk.items()
        if family_before[pk] != (f.postcode, f.address_line, f.locality_id)
    ]
    if changed_families:
        Family.objects.bulk_update(
            changed_families, ["postcode", "address_line", "locality"]
        )
    people_seen.save()
    return written, people


def _family_update(
    family: Family, e: Episode, localities: dict[str, Locality], *, current: bool
) -> None:
    h: Household = e.household
    if current:
        family.postcode, family.address_line = h.postcode, h.address_line
    # The locality as the services set it right after receipt.
    if family.locality_id is None or family.postcode == h.postcode:
        initial = localities.get(e.request.locality or "")
        family.locality_id = initial.pk if initial else None


class _People:
    """The batch's people by external_id: those found, made and changed."""

    def __init__(self, people: dict[str, Person]) -> None:
        self.people = people
        self.new: list[Person] = []
        self.changed: dict[int, Person] = {}

    def member(self, m: Member, family: Family, *, current: bool) -> None:
        values = {f: getattr(m, f) for f in PERSON_FIELDS}
        values["given_name_key"] = name_key(m.given_name)
        values["family_name_key"] = name_key(m.family_name)
        found = self.people.get(m.external_id)
        if found is None:
            found = Person(external_id=m.external_id, family=family, **values)
            self.people[m.external_id] = found
            self.new.append(found)
        elif current and (
            found.family_id != family.pk
            or any(getattr(found, n) != v for n, v in values.items())
        ):
            for name, value in values.items():
                setattr(found, name, value)
            found.family = family
            if found.pk is not None:
                self.changed[found.pk] = found

    def save(self) -> None:
        Person.objects.bulk_create(self.new)
        if self.changed:
            Person.objects.bulk_update(
                list(self.changed.values()),
                [*PERSON_FIELDS, "given_name_key", "family_name_key", "family"],
            )
