"""Social care referrals made outside early help: keyed in on the person page
and uploaded as CSV, through the same input and the same service as the API."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from casework.models import SocialCareReferral
from core.models import AccessLog
from tests.factories import CaseFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.helpers import sign_in, sign_in_verified

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
UPLOAD = "/cases/social-care-referrals/upload/"


def upload(client, text: str):
    return client.post(
        UPLOAD,
        {"file": SimpleUploadedFile("r.csv", text.encode(), content_type="text/csv")},
    )


@pytest.fixture
def case_with_children():
    case = CaseFactory()
    amir = PersonFactory(family=case.family, given_name="Amir")
    sana = PersonFactory(family=case.family, given_name="Sana", external_id="P-77")
    return case, amir, sana


def test_keyed_in_on_the_person_page_at_midday_uk_time(client, case_with_children):
    case, amir, _ = case_with_children
    sign_in_verified(client, case.lead_practitioner)
    body = {
        "referred_on_0": "1",
        "referred_on_1": "10",
        "referred_on_2": "2026",
        "reason": "Disclosure at school",
    }
    response = client.post(f"/cases/people/{amir.pk}/", body)
    assert response.status_code == 302
    referral = SocialCareReferral.objects.get()
    assert referral.referred_at == dt.datetime(2026, 10, 1, 12, 0, tzinfo=LONDON)
    assert (
        referral.source == "external" and referral.recorded_by == case.lead_practitioner
    )
    # The same referral again is still one referral.
    again = client.post(f"/cases/people/{amir.pk}/", body, follow=True)
    assert "already recorded" in again.content.decode()
    assert SocialCareReferral.objects.count() == 1


def test_a_future_referral_on_the_page_is_refused(client, case_with_children):
    case, amir, _ = case_with_children
    sign_in_verified(client, case.lead_practitioner)
    year = dt.date.today().year + 1
    response = client.post(
        f"/cases/people/{amir.pk}/",
        {"referred_on_0": "1", "referred_on_1": "1", "referred_on_2": str(year)},
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not SocialCareReferral.objects.exists()


def test_csv_records_good_rows_reports_bad_ones_and_is_idempotent(
    client, case_with_children
):
    case, amir, sana = case_with_children
    stranger = PersonFactory()  # in nobody's case this user works
    sign_in_verified(client, case.lead_practitioner)
    text = (
        "person,person_external_id,referred_at,reason\n"
        f"{amir.pk},,2026-10-01T09:30:00+01:00,MASH\n"
        ",P-77,2026-10-02 14:00,\n"
        f"{amir.pk},,not a date,\n"
        f"{stranger.pk},,2026-10-01T09:30:00Z,\n"
        ",,2026-10-01T09:30:00Z,\n"
        f"{amir.pk},,2999-01-01T00:00:00Z,\n"
        f"{amir.pk},P-77,2026-10-01T09:30:00Z,\n"
    )
    before = AccessLog.objects.count()
    response = upload(client, text)
    assert response.status_code == 200
    result = response.context["result"]
    assert len(result.created) == 2 and result.already == []
    assert [(e.row, e.column) for e in result.errors] == [
        (4, "referred_at"),
        (5, "person"),
        (6, "person"),
        (7, "referred_at"),
        (8, "person"),
    ]
    assert "No person with this id in the cases you work." in response.content.decode()
    assert set(SocialCareReferral.objects.values_list("person_id", "referred_at")) == {
        (amir.pk, dt.datetime(2026, 10, 1, 8, 30, tzinfo=dt.UTC)),
        (sana.pk, dt.datetime(2026, 10, 2, 14, 0, tzinfo=LONDON)),
    }
    # Each recorded row logged the person it named.
    logged = AccessLog.objects.order_by("pk")[before:]
    assert [(e.channel, e.object_id) for e in logged] == [
        ("csv", str(amir.pk)),
        ("csv", str(sana.pk)),
    ]

    again = upload(client, text).context["result"]
    assert again.created == [] and len(again.already) == 2
    assert SocialCareReferral.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("person,reason\n1,x\n", "missing these columns: referred_at"),
        ("referred_at,reason\n2026-10-01,x\n", "needs a person or person_external_id"),
        ("person,referred_at\n", "no rows under its headings"),
    ],
)
def test_an_unusable_file_records_nothing(client, case_with_children, text, message):
    case, *_ = case_with_children
    sign_in_verified(client, case.lead_practitioner)
    response = upload(client, text)
    assert message in response.content.decode()
    assert not SocialCareReferral.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.REQUESTER, Role.AUDITOR, Role.PERFORMANCE_LEAD, Role.ADMINISTRATOR]
)
def test_only_practitioners_and_managers_may_upload(client, case_with_children, role):
    case, amir, _ = case_with_children
    if role == Role.REQUESTER:
        sign_in(client, UserFactory(role=role, organisation=OrganisationFactory()))
    else:
        sign_in_verified(client, UserFactory(role=role, localities=["erdington"]))
    assert client.get(UPLOAD).status_code == 404
    response = upload(client, f"person,referred_at\n{amir.pk},2026-10-01\n")
    assert response.status_code == 404
    assert client.get("/cases/social-care-referrals/template.csv").status_code == 404
    assert not SocialCareReferral.objects.exists()


def test_the_template_is_a_csv_with_the_columns(client, case_with_children):
    case, *_ = case_with_children
    sign_in_verified(client, case.lead_practitioner)
    response = client.get("/cases/social-care-referrals/template.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == (
        "person,person_external_id,referred_at,reason"
    )


def test_the_api_answers_200_for_a_referral_already_recorded(case_with_children):
    case, amir, _ = case_with_children
    client = APIClient()
    token = api_token_issue(user=case.lead_practitioner)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    body = json.dumps({"person": amir.pk, "referred_at": "2026-10-01T09:30:00Z"})
    first = client.post(
        "/api/v1/social-care-referrals/", body, content_type="application/json"
    )
    second = client.post(
        "/api/v1/social-care-referrals/", body, content_type="application/json"
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    by_external = client.post(
        "/api/v1/social-care-referrals/",
        json.dumps({"person_external_id": "P-77", "referred_at": "2026-10-03T10:00Z"}),
        content_type="application/json",
    )
    assert by_external.status_code == 201, by_external.content
    assert SocialCareReferral.objects.count() == 2
