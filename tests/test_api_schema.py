"""The OpenAPI schema states what the server does: the two shapes a form can
come back in, the fields that may be null, and the member fields the server
requires. (JSON-only bodies: tests/core/test_api_json_only.py.)"""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
import schemathesis
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from family_connect.models import FamilyConnectForm, MatchCandidate
from localities.models import Locality
from tests.factories import (
    FamilyFactory,
    FormFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    grant_citywide_triage,
)
from tests.family_connect.helpers import payload

pytestmark = pytest.mark.django_db

FORMS = "/api/v1/family-connect/"
STATUS_ONLY = {
    "reference",
    "status",
    "received_at",
    "organisation",
    "decision",
    "duplicate_of",
}


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


@pytest.fixture
def school():
    return OrganisationFactory(name="Example Primary School", kind="school")


@pytest.fixture
def requester(school):
    return UserFactory(role=Role.REQUESTER, organisation=school)


@pytest.fixture
def manager():
    return grant_citywide_triage(
        UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    )


def schema_document(user) -> dict:
    response = api(user).get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def assert_matches_schema(document, method, path, response, url=None):
    """The answer is one the schema documents for this operation: its status,
    content type and body (``nullable``, ``required``, ``oneOf`` and all)."""
    operation = schemathesis.openapi.from_dict(document)[path][method]
    answer = httpx.Response(
        response.status_code,
        headers={"Content-Type": response["Content-Type"]},
        content=response.content,
        request=httpx.Request(method, f"http://testserver{url or path}"),
    )
    answer.elapsed = dt.timedelta(0)
    operation.validate_response(answer)


# --- What a requester sees ------------------------------------------------------


def test_a_requesters_list_of_own_and_colleagues_forms_matches_the_schema(
    requester, school
):
    colleague = UserFactory(role=Role.REQUESTER, organisation=school)
    # Sent through the API: its members have the blank codes a form may have.
    mine = api(requester).post(FORMS, payload(), format="json").json()["reference"]
    theirs = FormFactory(requester=colleague, organisation=school)
    response = api(requester).get(FORMS)
    assert response.status_code == 200
    rows = {row["reference"]: row for row in response.json()["results"]}
    assert set(rows[theirs.reference]) == STATUS_ONLY
    assert rows[mine]["locality"] == "erdington"
    assert rows[mine]["members"][1]["ethnicity"] == ""
    assert_matches_schema(schema_document(requester), "GET", FORMS, response)

    detail = api(requester).get(f"{FORMS}{theirs.reference}/")
    assert set(detail.json()) == STATUS_ONLY
    assert_matches_schema(
        schema_document(requester),
        "GET",
        f"{FORMS}{{reference}}/",
        detail,
        url=f"{FORMS}{theirs.reference}/",
    )


def test_the_schema_names_the_status_only_shape_and_closes_it(requester):
    schemas = schema_document(requester)["components"]["schemas"]
    assert schemas["FormForCaller"]["oneOf"] == [
        {"$ref": "#/components/schemas/FormRead"},
        {"$ref": "#/components/schemas/FormStatusOnly"},
    ]
    status_only = schemas["FormStatusOnly"]
    assert set(status_only["properties"]) == STATUS_ONLY
    assert status_only["additionalProperties"] is False
    # A whole form has keys the status-only shape lacks: one shape matches.
    assert set(schemas["FormRead"]["required"]) > STATUS_ONLY


# --- Nulls ----------------------------------------------------------------------


def test_a_form_with_no_locality_or_organisation_matches_the_schema(manager):
    form = FormFactory(route="phone", locality=None, organisation=None)
    client = api(manager)
    detail = client.get(f"{FORMS}{form.reference}/")
    assert detail.status_code == 200
    assert detail.json()["locality"] is None
    assert detail.json()["organisation"] is None
    document = schema_document(manager)
    assert_matches_schema(
        document,
        "GET",
        f"{FORMS}{{reference}}/",
        detail,
        url=f"{FORMS}{form.reference}/",
    )
    assert_matches_schema(document, "GET", FORMS, client.get(FORMS))
    form_read = document["components"]["schemas"]["FormRead"]["properties"]
    assert form_read["locality"]["nullable"] is True
    assert form_read["organisation"]["nullable"] is True


def test_a_decision_and_its_refusal_match_the_schema(manager):
    form = FormFactory()
    client = api(manager)
    url = f"{FORMS}{form.reference}/decision/"
    body = {"outcome": "no_further_action", "reason": "Needs met elsewhere"}
    document = schema_document(manager)
    path = f"{FORMS}{{reference}}/decision/"
    decided = client.post(url, body, format="json")
    assert decided.status_code == 200, decided.content
    assert_matches_schema(document, "POST", path, decided, url=url)
    again = client.post(url, body, format="json")
    assert again.status_code == 409
    assert_matches_schema(document, "POST", path, again, url=url)


# --- Members: the schema requires what the server requires -----------------------


def test_the_schema_requires_an_adults_relationship_and_a_childs_birth_date(
    requester,
):
    schemas = schema_document(requester)["components"]["schemas"]
    assert schemas["Member"]["discriminator"]["propertyName"] == "role"
    adult, child = schemas["AdultMember"], schemas["ChildMember"]
    assert {"relationship", "role", "given_name", "family_name"} <= set(
        adult["required"]
    )
    assert "date_of_birth" not in adult["required"]
    assert "expected" not in adult["properties"]
    assert "relationship" not in child["required"]
    assert "date_of_birth" in child["required"]


def test_an_adult_without_a_relationship_is_refused_as_the_schema_says(requester):
    body = payload()
    del body["household"]["members"][1]["relationship"]
    response = api(requester).post(FORMS, body, format="json")
    assert response.status_code == 400
    errors = response.json()["household"]["members"]["1"]
    assert "relationship" in errors
    assert FamilyConnectForm.objects.count() == 0


def test_a_child_without_a_relationship_is_accepted_as_the_schema_says(requester):
    body = payload()
    assert "relationship" not in body["household"]["members"][0]
    assert body["household"]["members"][0]["role"] == "child"
    assert api(requester).post(FORMS, body, format="json").status_code == 201


def test_a_child_without_a_date_of_birth_is_refused_as_the_schema_says(requester):
    body = payload()
    del body["household"]["members"][0]["date_of_birth"]
    response = api(requester).post(FORMS, body, format="json")
    assert response.status_code == 400
    assert "date_of_birth" in response.json()["household"]["members"]["0"]


# --- Match candidates -------------------------------------------------------------


def test_match_candidates_and_their_decisions_match_the_schema(manager):
    family = FamilyFactory(locality=Locality.objects.get(slug="ladywood"))
    person = PersonFactory(
        family=family,
        role="adult",
        given_name="Sara",
        date_of_birth=None,
        relationship="mother",
    )
    form = FormFactory()
    member = form.members.create(
        position=0,
        role="adult",
        given_name="Sara",
        family_name="Khan",
        relationship="mother",
    )
    household = MatchCandidate.objects.create(
        form=form, family=family, score=60, evidence=["1 of 1 people match"]
    )
    someone = MatchCandidate.objects.create(
        form=form, member=member, person=person, score=60, evidence=["given name"]
    )
    client = api(manager)
    document = schema_document(manager)
    listing = f"{FORMS}{form.reference}/matches/"
    listed = client.get(listing)
    assert listed.status_code == 200, listed.content
    assert {row["born"] for row in listed.json()} == {None}
    assert_matches_schema(
        document, "GET", f"{FORMS}{{reference}}/matches/", listed, url=listing
    )
    path = f"{FORMS}{{reference}}/matches/{{candidate_id}}/"
    without_reason = client.post(
        f"{listing}{household.pk}/", {"decision": "confirm"}, format="json"
    )
    assert without_reason.status_code == 400
    assert "reason" in without_reason.json()
    assert_matches_schema(
        document, "POST", path, without_reason, url=f"{listing}{household.pk}/"
    )
    for candidate in (household, someone):
        url = f"{listing}{candidate.pk}/"
        rejected = client.post(url, {"decision": "reject"}, format="json")
        assert rejected.status_code == 200, rejected.content
        assert_matches_schema(document, "POST", path, rejected, url=url)
    client.post(
        f"{FORMS}{form.reference}/decision/",
        {"outcome": "no_further_action", "reason": "Needs met elsewhere"},
        format="json",
    )
    decided = client.post(
        f"{listing}{household.pk}/", {"decision": "reject"}, format="json"
    )
    assert decided.status_code == 409
    assert_matches_schema(
        document, "POST", path, decided, url=f"{listing}{household.pk}/"
    )


def test_the_schema_names_the_headers_of_replays_and_versions(requester):
    paths = schema_document(requester)["paths"]
    created = paths[FORMS]["post"]["responses"]["201"]
    assert created["headers"]["Idempotent-Replayed"]["schema"]["enum"] == ["true"]
    matches = f"{FORMS}{{reference}}/matches/"
    assert "ETag" in paths[matches]["get"]["responses"]["200"]["headers"]
    decide = paths[f"{matches}{{candidate_id}}/"]["post"]
    assert "ETag" in decide["responses"]["200"]["headers"]
    assert "If-Match" in {p["name"] for p in decide["parameters"]}
    assert {"400", "404", "409", "412"} <= set(decide["responses"])
    form = f"{FORMS}{{reference}}/"
    assert "ETag" in paths[form]["get"]["responses"]["200"]["headers"]
    decision = paths[f"{form}decision/"]["post"]["responses"]["200"]
    assert "ETag" in decision["headers"]
