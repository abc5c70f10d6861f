"""The forms list API builds its page from rows (``form_rows_data``); each form
must read exactly as the serializers give it one by one (``forms_data``), in
both shapes, whatever is missing or linked."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from family_connect.api.forms import forms_data
from family_connect.models import FormDecision, FormMember
from family_connect.selectors import form_list_for_user
from localities.models import Locality
from tests.factories import (
    FormFactory,
    OrganisationFactory,
    UserFactory,
    grant_citywide_triage,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/family-connect/"


def listed(user, **params):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def one_by_one(user):
    """Every form the user may list, newest first, through the serializers."""
    forms = list(form_list_for_user(user))
    return json.loads(JSONRenderer().render(forms_data(forms, user)))


@pytest.fixture
def forms():
    school = OrganisationFactory(name="Short Heath Primary School", kind="school")
    sender = UserFactory(role=Role.REQUESTER, organisation=school)
    colleague = UserFactory(role=Role.REQUESTER, organisation=school)
    manager = UserFactory(role=Role.LOCALITY_MANAGER)
    manager.memberships.create(locality=Locality.objects.get(slug="erdington"))
    manager = grant_citywide_triage(manager)
    now = timezone.now()
    whole = FormFactory(
        status="no_further_action",
        requester=sender,
        organisation=school,
        received_at=now - dt.timedelta(days=3, microseconds=17),
        reason_codes=["education", "domestic_abuse"],
    )
    for position, (given, born, expected, carer) in enumerate(
        [
            ("Dawn", None, False, None),
            ("Kai", dt.date(2016, 5, 2), False, True),
            ("Baby", dt.date(2027, 1, 20), True, False),
        ]
    ):
        FormMember.objects.create(
            form=whole,
            position=position,
            role="child" if position else "adult",
            given_name=given,
            family_name="Taylor",
            date_of_birth=born,
            expected=expected,
            young_carer=carer,
            sex="female" if position != 1 else "male",
            school="Short Heath Primary" if position == 1 else "",
        )
    FormDecision.objects.create(
        form=whole,
        outcome="no_further_action",
        decided_by=manager,
        decided_at=now - dt.timedelta(hours=5, microseconds=3),
        reason="Support from the school is enough",
    )
    # A colleague's form, placed nowhere yet, sent on nobody's behalf, a
    # duplicate of the first; and a form from another organisation.
    duplicate = FormFactory(
        requester=colleague,
        organisation=school,
        locality=None,
        duplicate_of=whole,
        status="duplicate",
        level_of_need="",
        reason_codes=["financial_housing_employment"],
    )
    family = FormFactory(
        route="family", organisation=None, request_type="consultation", consent=False
    )
    return {
        "sender": sender,
        "manager": manager,
        "whole": whole,
        "duplicate": duplicate,
        "family": family,
    }


def test_a_manager_reads_every_form_whole_as_the_serializers_give_it(forms):
    body = listed(forms["manager"])
    assert body["count"] == 3
    assert body["results"] == one_by_one(forms["manager"])
    first = {form["reference"]: form for form in body["results"]}
    assert len(first[forms["whole"].reference]["reasons"]) == 2
    assert [m["given_name"] for m in first[forms["whole"].reference]["members"]] == [
        "Dawn",
        "Kai",
        "Baby",
    ]
    assert first[forms["duplicate"].reference]["locality"] is None
    assert (
        first[forms["duplicate"].reference]["duplicate_of"] == forms["whole"].reference
    )
    assert first[forms["family"].reference]["organisation"] is None
    assert first[forms["whole"].reference]["decision"]["outcome"] == "no_further_action"


def test_a_requester_reads_their_own_whole_and_a_colleagues_as_status_only(forms):
    body = listed(forms["sender"])
    assert body["results"] == one_by_one(forms["sender"])
    by_reference = {form["reference"]: form for form in body["results"]}
    assert set(by_reference) == {forms["whole"].reference, forms["duplicate"].reference}
    assert "members" in by_reference[forms["whole"].reference]
    assert set(by_reference[forms["duplicate"].reference]) == {
        "reference",
        "status",
        "received_at",
        "organisation",
        "decision",
        "duplicate_of",
    }


def test_the_second_page_reads_as_the_serializers_give_it(forms):
    for _ in range(50):
        FormFactory()
    manager = forms["manager"]
    second = listed(manager, page=2)
    assert second["count"] == 53
    assert second["results"] == one_by_one(manager)[50:]
