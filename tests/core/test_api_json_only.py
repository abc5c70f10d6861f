"""The API reads JSON bodies only: the schema offers no other, and a
form-encoded or multipart body is a 415 with a JSON message that changes
nothing."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from family_connect.models import (
    FamilyConnectForm,
    FormStatus,
    MatchCandidate,
    MatchStatus,
)
from tests.factories import (
    FamilyFactory,
    FormFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.family_connect.helpers import payload

pytestmark = pytest.mark.django_db

FORMS = "/api/v1/family-connect/"


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


@pytest.fixture
def requester():
    school = OrganisationFactory(name="Example Primary School", kind="school")
    return UserFactory(role=Role.REQUESTER, organisation=school)


@pytest.fixture
def manager():
    return UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])


def test_every_body_the_schema_offers_is_json_and_415_is_documented(requester):
    document = api(requester).get("/api/schema/?format=json").json()
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    ]
    assert len(operations) == 4
    for path, method, operation in operations:
        assert list(operation["requestBody"]["content"]) == ["application/json"], (
            path,
            method,
        )
        answer = operation["responses"]["415"]["content"]["application/json"]
        assert answer["schema"] == {"$ref": "#/components/schemas/Error"}


def test_a_form_encoded_submission_is_415_and_creates_nothing(requester):
    body = payload()
    response = api(requester).post(
        FORMS,
        data="request=" + json.dumps(body["request"]),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    assert "JSON" in response.json()["detail"]
    assert FamilyConnectForm.objects.count() == 0


def test_a_multipart_submission_is_415_and_creates_nothing(requester):
    response = api(requester).post(
        FORMS, {"request": "x", "household": "y"}, format="multipart"
    )
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    assert FamilyConnectForm.objects.count() == 0


def test_a_form_encoded_decision_is_415_and_changes_nothing(manager):
    form = FormFactory()
    response = api(manager).post(
        f"{FORMS}{form.reference}/decision/",
        data="outcome=no_further_action&reason=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    form.refresh_from_db()
    assert form.status == FormStatus.SUBMITTED


def test_a_form_encoded_match_decision_is_415_and_changes_nothing(manager):
    form = FormFactory()
    candidate = MatchCandidate.objects.create(
        form=form, family=FamilyFactory(locality=form.locality), score=60
    )
    response = api(manager).post(
        f"{FORMS}{form.reference}/matches/{candidate.pk}/",
        data="decision=reject",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    candidate.refresh_from_db()
    assert candidate.status == MatchStatus.PROPOSED


def test_a_form_encoded_referral_is_415(manager):
    response = api(manager).post(
        "/api/v1/social-care-referrals/",
        data="person=1&referred_at=2026-01-01T10:00Z",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    assert "detail" in response.json()


def test_a_json_submission_still_creates_the_form(requester):
    response = api(requester).post(FORMS, payload(), format="json")
    assert response.status_code == 201, response.content
