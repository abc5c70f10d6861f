"""Oversized requests are refused and create nothing: the public form's pages
and the submission API."""

from __future__ import annotations

import json

import pytest

from accounts.roles import Role
from family_connect.models import FamilyConnectForm, FormDraft
from tests.factories import OrganisationFactory, UserFactory
from tests.family_connect.helpers import payload
from tests.family_connect.test_api import client_for
from tests.family_connect.test_journey import start

pytestmark = pytest.mark.django_db

TOO_BIG = "x" * (300 * 1024)  # above the 256 KB body limit


def test_an_oversized_page_post_is_refused_and_saves_nothing(client):
    start(client)
    before = FormDraft.objects.get().answers
    response = client.post(
        "/family-connect/step/family-words/", {"family_words": TOO_BIG}
    )
    assert response.status_code == 413
    assert FormDraft.objects.get().answers == before


def test_too_many_fields_are_refused(client):
    start(client)
    response = client.post(
        "/family-connect/step/family-words/",
        {f"field{n}": "x" for n in range(1500)},
    )
    assert response.status_code == 400


def test_an_oversized_api_submission_is_refused_and_creates_nothing():
    requester = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    body = payload()
    body["family_words"] = TOO_BIG
    response = client_for(requester).post(
        "/api/v1/family-connect/",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["detail"].endswith("larger than 256 KB.")
    assert FamilyConnectForm.objects.count() == 0
