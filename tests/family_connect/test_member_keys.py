"""The people on forms carry the name keys that searching forms by name reads
(``families.names.name_keys``): every writer of a member sets them, and a
search finds forms by those keys alone."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from accounts.roles import Role
from families.names import name_keys
from families.query import parse_query
from family_connect.models import FamilyConnectForm, FormMember
from family_connect.selectors import FormFilters, form_ids_naming, form_list_for_user
from records_import import run as import_run
from records_import.run import records_import
from tests.factories import FormFactory, OrganisationFactory, UserFactory
from tests.family_connect.helpers import payload
from tests.family_connect.test_api import client_for, post
from tests.records_import.test_import_bulk import episodes

pytestmark = pytest.mark.django_db


def _keys_as_written() -> list[tuple[str, str, dict[str, str]]]:
    return [
        (m.given_name, m.family_name, name_keys(m.given_name, m.family_name))
        for m in FormMember.objects.all()
    ]


def _stored_keys() -> list[tuple[str, str, dict[str, str]]]:
    return [
        (
            m.given_name,
            m.family_name,
            {"given_name_key": m.given_name_key, "family_name_key": m.family_name_key},
        )
        for m in FormMember.objects.all()
    ]


def test_a_submitted_form_stores_the_keys_of_its_members_names():
    requester = UserFactory(
        role=Role.REQUESTER,
        organisation=OrganisationFactory(name="Example Primary School", kind="school"),
    )
    body = payload(
        household__members__0__given_name="Zoë",
        household__members__0__family_name="Van der Berg",
    )
    assert post(client_for(requester), body).status_code == 201
    member = FormMember.objects.get(role="child")
    assert (member.given_name_key, member.family_name_key) == ("zoe", "vanderberg")
    assert _stored_keys() == _keys_as_written()


@pytest.mark.parametrize("batched", [False, True])
def test_the_records_import_stores_the_keys_both_ways(tmp_path, monkeypatch, batched):
    path = tmp_path / "episodes.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in episodes()[:40]))
    calls: list[int] = []
    real = import_run.episodes_import_bulk

    def counting(items, **kwargs):
        calls.append(len(items))
        return real(items, **kwargs)

    monkeypatch.setattr(import_run, "episodes_import_bulk", counting)
    if not batched:
        monkeypatch.setattr(import_run, "bulk_ready", lambda e: False)
    report = records_import(path)
    assert report.rejected == 0 and report.imported == 40
    assert bool(calls) is batched
    assert FormMember.objects.count() > 40
    assert not FormMember.objects.filter(given_name_key="").exists()
    assert _stored_keys() == _keys_as_written()


def _found(typed):
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    forms = form_list_for_user(manager, FormFilters(query=parse_query(typed)))
    return sorted(forms.values_list("reference", flat=True))


@pytest.fixture
def evans():
    form = FormFactory(reference="FC-EVAN-0001")
    form.members.create(
        position=0,
        role="child",
        date_of_birth=dt.date(2014, 4, 3),
        given_name="Kelly",
        family_name="Evans",
        **name_keys("Kelly", "Evans"),
    )
    other = FormFactory(reference="FC-OTHR-0002")
    other.members.create(
        position=0,
        role="child",
        date_of_birth=dt.date(2014, 4, 3),
        given_name="Kelly",
        family_name="Owens",
        **name_keys("Kelly", "Owens"),
    )
    return form


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("eavns", ["FC-EVAN-0001"]),  # two letters swapped
        ("evns", ["FC-EVAN-0001"]),  # one missing
        ("evanss", ["FC-EVAN-0001"]),  # one too many
        ("Kelly Evnas", ["FC-EVAN-0001"]),
        ("kellyevans", ["FC-EVAN-0001"]),  # the spaces left out
        ("kelly evasn", ["FC-EVAN-0001"]),
        ("kellyevasn", ["FC-EVAN-0001"]),  # run together and misspelt
        ("kelly", ["FC-EVAN-0001", "FC-OTHR-0002"]),
        ("Kelly Owens", ["FC-OTHR-0002"]),
        ("evasnn", []),  # two letters out
    ],
)
def test_a_misspelt_name_finds_the_form(evans, typed, expected):
    assert _found(typed) == expected


def test_forms_are_found_by_the_stored_keys(evans):
    # The keys are what is searched: a member whose keys say otherwise is
    # found by the keys, not by the written name.
    FormMember.objects.filter(form=evans).update(
        given_name_key="", family_name_key="jones"
    )
    assert _found("evans") == []
    assert _found("jnoes") == ["FC-EVAN-0001"]
    assert FamilyConnectForm.objects.count() == 2


def test_a_user_who_sees_no_forms_finds_none_by_name(evans):
    # A manager of no locality sees no forms at all.
    nobody = UserFactory(role=Role.LOCALITY_MANAGER)
    forms = form_list_for_user(nobody, FormFilters(query=parse_query("evans")))
    assert list(forms) == []
    assert form_ids_naming(FamilyConnectForm.objects.none(), parse_query("eavns")) == []
