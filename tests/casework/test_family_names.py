"""A case is known by its family's name (``casework.selectors.names``)."""

from __future__ import annotations

import pytest

from casework.selectors.names import case_family_name, case_family_names
from tests.factories import CaseFactory, FamilyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_lead_adult_names_the_family_and_the_children_follow():
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Mia", family_name="Taylor")
    PersonFactory(
        family=case.family,
        role="adult",
        relationship="father",
        given_name="Tom",
        family_name="Brown",
        date_of_birth=None,
    )
    PersonFactory(
        family=case.family,
        role="adult",
        relationship="mother",
        given_name="Jo",
        family_name="Taylor",
        date_of_birth=None,
    )
    PersonFactory(family=case.family, given_name="Leo", family_name="Brown")
    name = case_family_name(case.pk)
    assert name.title == "Taylor family"
    assert name.children == ("Mia Taylor", "Leo Brown")
    assert str(name) == "Taylor family"


def test_without_an_adult_the_first_child_names_it_and_an_empty_case_keeps_its_number():
    named = CaseFactory()
    PersonFactory(family=named.family, given_name="Sam", family_name="Okafor")
    empty = CaseFactory()
    names = case_family_names([named.pk, empty.pk])
    assert names[named.pk].title == "Okafor family"
    assert names[empty.pk].title == f"Case {empty.pk}"
    assert names[empty.pk].children == ()


def test_only_the_people_on_the_case_count(django_assert_num_queries):
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Ann", family_name="Patel")
    PersonFactory(
        family=case.family,
        role="adult",
        relationship="mother",
        given_name="Later",
        family_name="Jones",
        date_of_birth=None,
        on_cases=False,
    )
    other = CaseFactory(family=FamilyFactory())
    with django_assert_num_queries(1):
        names = case_family_names([case.pk, other.pk])
    assert names[case.pk].title == "Patel family"
