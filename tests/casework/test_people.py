"""Family and person records: the person page, who else is involved (within
scope), corrections and moves with their history."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from core.models import AccessLog
from families.models import Person
from family_connect.models import FormMember
from localities.models import Locality
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    FormFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    join_team,
)
from tests.helpers import sign_in, sign_in_verified

pytestmark = pytest.mark.django_db


def about(form, person):
    FormMember.objects.create(
        form=form,
        position=FormMember.objects.filter(form=form).count(),
        role=person.role,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        person=person,
    )
    return form


@pytest.fixture
def world():
    school = OrganisationFactory(name="Greenfield Primary", kind="school")
    dsl = UserFactory(
        role=Role.REQUESTER, organisation=school, full_name="Dee Safeguarding"
    )
    case = CaseFactory()
    child = PersonFactory(family=case.family, given_name="Amir")
    sister = PersonFactory(family=case.family, given_name="Sana")
    join_team(case, dsl)
    form = about(
        FormFactory(requester=dsl, organisation=school, case=case, family=case.family),
        child,
    )
    # An earlier case about the child in another locality, which an Erdington
    # practitioner may not see.
    elsewhere = CaseFactory(
        locality=Locality.objects.get(slug="yardley"),
        lead_practitioner=UserFactory(
            role=Role.PRACTITIONER, localities=["yardley"], full_name="Yan Yardley"
        ),
    )
    hidden = about(FormFactory(case=elsewhere, reference="FC-HIDDEN-01"), child)
    return {
        "case": case,
        "child": child,
        "sister": sister,
        "dsl": dsl,
        "form": form,
        "elsewhere": elsewhere,
        "hidden": hidden,
    }


def test_the_lead_sees_the_person_household_and_who_else_is_involved(client, world):
    case, child = world["case"], world["child"]
    sign_in_verified(client, case.lead_practitioner)
    before = AccessLog.objects.count()
    response = client.get(f"/cases/people/{child.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sana" in page  # household
    ctx = response.context
    assert [c.pk for c in ctx["cases"]] == [case.pk]
    assert [f.pk for f in ctx["forms"]] == [world["form"].pk]
    assert {e["user"].pk for e in ctx["involved"]} == {
        case.lead_practitioner.pk,
        world["dsl"].pk,
    }
    dsl = next(e for e in ctx["involved"] if e["user"] == world["dsl"])
    assert dsl["cases"] == [case.pk] and dsl["forms"] == [world["form"].reference]
    assert "Yan Yardley" not in page and "FC-HIDDEN-01" not in page
    # The person, and what the page shows in passing: the household's address
    # and its other people.
    logged = AccessLog.objects.order_by("pk")[before:]
    assert [(e.object_type, e.object_id) for e in logged] == [
        ("families.person", str(child.pk)),
        ("families.family", str(case.family_id)),
        ("families.person", str(world["sister"].pk)),
    ]


def test_the_person_page_names_each_case_by_its_family(client, world):
    case = world["case"]
    sign_in_verified(client, case.lead_practitioner)
    page = client.get(f"/cases/people/{world['child'].pk}/").content.decode()
    cases = re.search(r'data-testid="involved-cases">(.*?)</table>', page, re.S)
    assert cases
    assert f'<a class="govuk-link" href="/cases/{case.pk}/">Khan family</a>' in (
        cases.group(1)
    )
    assert f">Case {case.pk}<" not in cases.group(1)
    people = re.search(r'data-testid="involved-people">(.*?)</table>', page, re.S)
    assert people and "Team around the family (Khan family)" in people.group(1)


def test_a_manager_of_both_localities_sees_both_cases(client, world):
    manager = UserFactory(
        role=Role.LOCALITY_MANAGER, localities=["erdington", "yardley"]
    )
    sign_in_verified(client, manager)
    response = client.get(f"/cases/people/{world['child'].pk}/")
    assert {c.pk for c in response.context["cases"]} == {
        world["case"].pk,
        world["elsewhere"].pk,
    }
    assert {f.pk for f in response.context["forms"]} == {
        world["form"].pk,
        world["hidden"].pk,
    }


@pytest.mark.parametrize(
    "who",
    [
        "other_locality",
        "same_locality_not_on_case",
        "requester",
        "auditor",
        "performance_lead",
        "other_manager",
    ],
)
@pytest.mark.parametrize("page", ["", "details/", "address/", "move/"])
def test_everyone_else_gets_404_and_changes_nothing(client, world, who, page):
    child = world["child"]
    if who == "requester":
        sign_in(client, world["dsl"])
    else:
        role = {
            "auditor": Role.AUDITOR,
            "performance_lead": Role.PERFORMANCE_LEAD,
            "other_manager": Role.LOCALITY_MANAGER,
        }.get(who, Role.PRACTITIONER)
        locality = (
            "erdington"
            if who in ("same_locality_not_on_case", "auditor")
            else "hodge-hill"
        )
        sign_in_verified(client, UserFactory(role=role, localities=[locality]))
    url = f"/cases/people/{child.pk}/{page}"
    assert client.get(url).status_code == 404
    response = client.post(
        url,
        {
            "given_name": "X",
            "family_name": "Y",
            "postcode": "B26 1AA",
            "case": world["case"].pk,
            "referred_on_0": "1",
            "referred_on_1": "10",
            "referred_on_2": "2026",
        },
    )
    assert response.status_code == 404
    child.refresh_from_db()
    assert child.given_name == "Amir" and not LogEntry.objects.exists()
    assert not child.social_care_referrals.exists()


def test_correcting_details_records_who_changed_what(client, world):
    case, child = world["case"], world["child"]
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/people/{child.pk}/details/",
        {
            "given_name": "Amira",
            "family_name": "Khan",
            "date_of_birth_0": "2",
            "date_of_birth_1": "5",
            "date_of_birth_2": "2014",
            "sex": "female",
            "ethnicity": "asian_pakistani",
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.given_name == "Amira" and child.given_name_key == "amira"
    entry = LogEntry.objects.get()
    assert entry.user == case.lead_practitioner
    assert '"before": {"given_name": "Amir"}' in entry.change_message
    page = client.get(f"/cases/people/{child.pk}/")
    history = page.context["history"]
    assert history[0]["who"] == case.lead_practitioner.display_name
    assert history[0]["changes"] == [
        {"field": "First name", "before": "Amir", "after": "Amira"}
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"given_name": "", "family_name": "Khan"}, "Enter their first name"),
        (
            {
                "given_name": "Amir",
                "family_name": "Khan",
                "date_of_birth_0": "1",
                "date_of_birth_1": "1",
                "date_of_birth_2": str(dt.date.today().year + 1),
            },
            "Date of birth must be today or in the past",
        ),
        (
            {"given_name": "Amir", "family_name": "Khan", "ethnicity": "martian"},
            "Select one of the options given for the ethnicity",
        ),
    ],
)
def test_bad_corrections_say_why_and_change_nothing(client, world, body, message):
    case, child = world["case"], world["child"]
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(f"/cases/people/{child.pk}/details/", body)
    assert response.status_code == 200
    assert message in response.content.decode()
    child.refresh_from_db()
    assert child.given_name == "Amir" and not LogEntry.objects.exists()


def test_a_new_address_moves_the_household_and_its_locality(client, world):
    case, child = world["case"], world["child"]
    sign_in_verified(client, case.lead_practitioner)
    bad = client.post(f"/cases/people/{child.pk}/address/", {"postcode": "NOPE"})
    assert "Enter a real postcode" in bad.content.decode()
    assert not LogEntry.objects.exists()
    response = client.post(
        f"/cases/people/{child.pk}/address/",
        {"postcode": "b26 1aa", "address_line": "3 New Road"},
    )
    assert response.status_code == 302
    family = case.family
    family.refresh_from_db()
    assert family.postcode == "B26 1AA" and family.address_line == "3 New Road"
    assert family.locality.slug == "yardley"
    entry = LogEntry.objects.get()
    assert entry.object_id == str(family.pk)
    assert '"locality"' in entry.change_message


def test_moving_household_keeps_one_household_and_both_histories(client, world):
    case, child = world["case"], world["child"]
    other = CaseFactory(lead_practitioner=case.lead_practitioner)
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(f"/cases/people/{child.pk}/move/", {"case": other.pk})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.family_id == other.family_id
    assert not Person.objects.filter(pk=child.pk, family=case.family).exists()
    objects = set(LogEntry.objects.values_list("content_type__model", "object_id"))
    assert objects == {
        ("person", str(child.pk)),
        ("family", str(case.family_id)),
        ("family", str(other.family_id)),
    }


def test_moving_into_a_case_you_do_not_work_is_refused(client, world):
    case, child = world["case"], world["child"]
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/people/{child.pk}/move/", {"case": world["elsewhere"].pk}
    )
    assert "No case with this number in the cases you work" in response.content.decode()
    child.refresh_from_db()
    assert child.family_id == case.family_id and not LogEntry.objects.exists()


def test_the_person_page_query_count_does_not_grow_with_forms_and_cases(client, world):
    case, child = world["case"], world["child"]
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/people/{child.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(8):
        extra = CaseFactory(
            family=FamilyFactory(), lead_practitioner=case.lead_practitioner
        )
        join_team(
            extra, UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
        )
        about(FormFactory(case=extra, requester=world["dsl"]), child)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["cases"]) == 9
    assert len(many) == len(few)
