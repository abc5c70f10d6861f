"""The vocabulary of name keys that a search's words are matched against
first, which the database keeps itself, and the manager's view of people read
from the places' own locality."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.roles import Role
from casework.models import CasePerson
from families.models import NameKey, Person
from families.names import keys_matching, name_key
from families.query import parse_query
from family_connect.models import FormMember
from localities.models import Locality
from search.selectors import people_search
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    FormFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def vocabulary() -> set[str]:
    return set(NameKey.objects.values_list("key", flat=True))


def test_every_writer_of_a_person_or_a_member_adds_its_keys():
    PersonFactory(given_name="Ayesha", family_name="Khan")
    assert {"ayesha", "khan"} <= vocabulary()
    # A batched insert, as the records import writes people.
    Person.objects.bulk_create(
        [
            Person(
                role="child",
                given_name="Żaneta",
                family_name="O'Brien-Smith",
                given_name_key=name_key("Żaneta"),
                family_name_key=name_key("O'Brien-Smith"),
            )
        ]
    )
    assert {"zaneta", "obriensmith"} <= vocabulary()
    # A change of name in SQL, outside any service.
    Person.objects.filter(given_name="Ayesha").update(given_name_key="aisha")
    assert "aisha" in vocabulary()
    FormMember.objects.create(
        form=FormFactory(),
        position=0,
        role="child",
        given_name="Bilal",
        family_name="Qureshi",
        given_name_key="bilal",
        family_name_key="qureshi",
        date_of_birth=dt.date(2015, 1, 1),
    )
    assert {"bilal", "qureshi"} <= vocabulary()
    assert "" not in vocabulary()


def test_each_word_finds_the_keys_the_one_letter_rule_accepts():
    for given, family in (
        ("Kelly", "Evans"),
        ("Kelsey", "Evens"),
        ("Mel", "Vans"),
        ("Kevin", "Evanson"),
        ("Bob", "Aabbon"),
    ):
        PersonFactory(given_name=given, family_name=family)
    found = keys_matching(["kel", "eavns", "ev"])
    # Starts with "kel"; within one letter of it ("mel"), three letters or more.
    assert found["kel"] == ["kelly", "kelsey", "mel"]
    # Two neighbouring letters swapped ("evans"); one letter changed ("evens").
    assert found["eavns"] == ["evans"]
    # Two letters: starts only.
    assert found["ev"] == ["evans", "evanson", "evens"]
    assert keys_matching([]) == {}


def test_a_manager_sees_the_people_on_their_localitys_cases_wherever_they_live():
    erdington, ladywood = (
        Locality.objects.get(slug=s) for s in ("erdington", "ladywood")
    )
    # Omar lives in a Ladywood household with a Ladywood case, and is also
    # on an Erdington case of another household (his father's).
    home = FamilyFactory(locality=ladywood)
    CaseFactory(family=home, locality=ladywood)
    omar = PersonFactory(family=home, given_name="Omar", family_name="Farouk")
    fathers = CaseFactory(family=FamilyFactory(locality=erdington))
    CasePerson.objects.create(
        case=fathers,
        locality_id=fathers.locality_id,
        person=omar,
        added_at=fathers.opened_at,
        source="added",
    )
    assert CasePerson.objects.get(case=fathers).locality == erdington
    query = parse_query("omar farouk")
    for slug, sees in (("erdington", True), ("ladywood", True), ("yardley", False)):
        manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=[slug])
        assert people_search(manager, query).ids == ([omar.pk] if sees else []), slug
    # Off the Erdington case, he is no longer Erdington's.
    CasePerson.objects.filter(case=fathers).delete()
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    assert people_search(manager, query).ids == []
