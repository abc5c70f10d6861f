"""The data protection officer's page: who viewed person X, after a scripted
sequence of reads by three users."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from core.models import AccessLog
from tests.factories import (
    CaseFactory,
    FormFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.helpers import sign_in_as, sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory(lead_practitioner=lead)
    person = PersonFactory(family=case.family, given_name="Xena", family_name="Ward")
    sibling = PersonFactory(family=case.family, given_name="Yusuf", family_name="Ward")
    elsewhere = CaseFactory(lead_practitioner=lead)
    stranger = PersonFactory(family=elsewhere.family, given_name="Zed")
    school = OrganisationFactory(name="Ward End Primary", kind="school")
    requester = UserFactory(role=Role.REQUESTER, organisation=school)
    form = FormFactory(family=case.family, requester=requester, organisation=school)
    form.members.create(
        position=0,
        role="child",
        given_name="Xena",
        family_name="Ward",
        date_of_birth=person.date_of_birth,
        person=person,
    )
    return {
        "lead": lead,
        "manager": UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"]),
        "requester": requester,
        "dpo": UserFactory(role=Role.DATA_PROTECTION, organisation=None),
        "case": case,
        "person": person,
        "sibling": sibling,
        "elsewhere": elsewhere,
        "stranger": stranger,
        "form": form,
    }


def test_who_viewed_person_x_after_reads_by_three_users(client, scene):
    # 1. The lead opens the person's own page, then the other family's case.
    sign_in_verified(client, scene["lead"])
    assert client.get(f"/cases/people/{scene['person'].pk}/").status_code == 200
    assert client.get(f"/cases/{scene['elsewhere'].pk}/").status_code == 200
    client.logout()
    # 2. The manager opens the family's case page (which shows the household).
    sign_in_verified(client, scene["manager"])
    assert client.get(f"/cases/{scene['case'].pk}/").status_code == 200
    client.logout()
    # 3. The requester reads the form naming Xena through the API.
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_issue(user=scene['requester'])}"
    )
    reference = scene["form"].reference
    assert api.get(f"/api/v1/family-connect/{reference}/").status_code == 200

    sign_in_verified(client, scene["dpo"])
    before = AccessLog.objects.count()
    response = client.get(f"/privacy/who-viewed/?person={scene['person'].pk}")
    assert response.status_code == 200
    seen = [
        (row["entry"].user_email, row["kind"], row["entry"].object_id)
        for row in response.context["rows"]
    ]
    person, case, form = (
        str(scene["person"].pk),
        str(scene["case"].pk),
        str(scene["form"].pk),
    )
    lead, manager = scene["lead"].email, scene["manager"].email
    requester, dpo = scene["requester"].email, scene["dpo"].email
    expected = {
        (lead, "Person", person),  # the person page …
        (lead, "Household", str(scene["case"].family_id)),  # … shows the address
        (manager, "Case", case),  # the case page …
        (manager, "Person", person),  # … and the household it shows
        (requester, "Family Connect Form", form),
        (dpo, "Person", person),  # looking is recorded too
    }
    assert sorted(seen) == sorted(expected)
    # Nothing about the other family, whoever read it.
    assert str(scene["elsewhere"].pk) not in {o for _u, k, o in seen if k == "Case"}
    assert seen[0] == (dpo, "Person", person)  # newest first
    assert AccessLog.objects.count() == before + 1
    html = response.content.decode()
    assert "Xena Ward" in html and lead in html and requester in html


@pytest.mark.parametrize(
    "role",
    [r for r in Role.values if r != Role.DATA_PROTECTION],
)
def test_only_the_data_protection_officer_sees_who_viewed(client, scene, role):
    user = UserFactory(role=role, localities=["erdington"])
    sign_in_as(client, user)
    url = f"/privacy/who-viewed/?person={scene['person'].pk}"
    assert client.get(url).status_code == 404


def test_an_unknown_or_malformed_person_number_gets_a_clear_message(client, scene):
    sign_in_verified(client, scene["dpo"])
    before = AccessLog.objects.count()
    for value, message in (
        ("999999", "There is no person with this number"),
        ("abc", "Enter the person number as digits, like 1234"),
    ):
        response = client.get(f"/privacy/who-viewed/?person={value}")
        assert response.status_code == 200
        assert message in response.content.decode()
    assert AccessLog.objects.count() == before


def test_people_shown_in_passing_are_reads_of_their_records_too(client, scene):
    """The person page shows the household's other people and its address;
    the subject access page shows the person found before any download. Each
    is logged, and the who-viewed page lists them."""
    sign_in_verified(client, scene["lead"])
    assert client.get(f"/cases/people/{scene['person'].pk}/").status_code == 200
    lead_read = AccessLog.objects.filter(user=scene["lead"])
    assert set(lead_read.values_list("object_type", "object_id")) == {
        ("families.person", str(scene["person"].pk)),
        ("families.person", str(scene["sibling"].pk)),
        ("families.family", str(scene["case"].family_id)),
    }
    client.logout()

    sign_in_verified(client, scene["dpo"])
    response = client.get(f"/privacy/subject-access/?person={scene['stranger'].pk}")
    assert response.status_code == 200
    assert "Zed" in response.content.decode()
    assert AccessLog.objects.filter(
        user=scene["dpo"],
        object_type="families.person",
        object_id=str(scene["stranger"].pk),
        path__startswith="/privacy/subject-access/",
    ).exists()

    response = client.get(f"/privacy/who-viewed/?person={scene['sibling'].pk}")
    seen = {
        (row["entry"].user_email, row["kind"], row["entry"].path)
        for row in response.context["rows"]
    }
    person_page = f"/cases/people/{scene['person'].pk}/"
    assert (scene["lead"].email, "Person", person_page) in seen


def test_reads_logged_before_people_moved_to_the_families_app_are_still_found(
    client, scene
):
    """The access log refuses updates: rows written while households and people
    were casework models keep the casework labels, and who-viewed still lists
    them, by the same names as today's."""
    manager = scene["manager"]
    AccessLog.objects.create(
        user=manager,
        user_email=manager.email,
        action="view",
        channel="html",
        object_type="casework.person",
        object_id=str(scene["person"].pk),
        path="/before/person/",
    )
    AccessLog.objects.create(
        user=manager,
        user_email=manager.email,
        action="view",
        channel="html",
        object_type="casework.family",
        object_id=str(scene["case"].family_id),
        path="/before/family/",
    )
    # Another person's old row is not theirs.
    AccessLog.objects.create(
        user=manager,
        user_email=manager.email,
        action="view",
        channel="html",
        object_type="casework.person",
        object_id=str(scene["stranger"].pk),
        path="/before/stranger/",
    )
    sign_in_verified(client, scene["dpo"])
    response = client.get(f"/privacy/who-viewed/?person={scene['person'].pk}")
    assert response.status_code == 200
    seen = {
        (row["entry"].path, row["kind"])
        for row in response.context["rows"]
        if row["entry"].user_id == manager.pk
    }
    assert seen == {("/before/person/", "Person"), ("/before/family/", "Household")}
