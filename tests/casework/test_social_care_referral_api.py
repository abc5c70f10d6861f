from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from casework.models import SocialCareReferral
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    join_team,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/social-care-referrals/"


def post(user, body):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_the_lead_records_an_outside_referral():
    case = CaseFactory()
    child = PersonFactory(family=case.family)
    response = post(
        case.lead_practitioner,
        {
            "person": child.pk,
            "referred_at": "2026-10-01T09:30:00+01:00",
            "reason": "MASH",
        },
    )
    assert response.status_code == 201, response.content
    referral = SocialCareReferral.objects.get()
    assert referral.person == child and referral.source == "external"
    assert referral.recorded_by == case.lead_practitioner


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"referred_at": "2026-10-01T09:30:00+01:00"}, "person"),
        ({"person": "CHILD", "referred_at": "not a date"}, "referred_at"),
        ({"person": "CHILD", "referred_at": "2999-01-01T00:00:00Z"}, "referred_at"),
        ({"person": 999999, "referred_at": "2026-10-01T09:30:00Z"}, "person"),
    ],
)
def test_bad_referrals_answer_400_and_save_nothing(body, field):
    case = CaseFactory()
    child = PersonFactory(family=case.family)
    body = {k: (child.pk if v == "CHILD" else v) for k, v in body.items()}
    response = post(case.lead_practitioner, body)
    assert response.status_code == 400
    assert field in response.json()
    assert not SocialCareReferral.objects.exists()


@pytest.mark.parametrize("who", ["other_practitioner", "requester_on_team", "auditor"])
def test_only_people_in_your_cases(who):
    case = CaseFactory()
    child = PersonFactory(family=case.family)
    if who == "requester_on_team":
        user = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
        join_team(case, user)
    else:
        role = Role.PRACTITIONER if who == "other_practitioner" else Role.AUDITOR
        user = UserFactory(role=role, localities=["erdington"])
    response = post(user, {"person": child.pk, "referred_at": "2026-10-01T09:30:00Z"})
    assert response.status_code == 400
    assert not SocialCareReferral.objects.exists()
