"""``GET /api/v1/cases/`` and ``/api/v1/cases/{id}/``: read only, within scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from core.models import AccessLog
from tests.casework.test_case_access import EXPECTED, world  # noqa: F401
from tests.factories import CaseFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


@pytest.mark.parametrize("who", list(EXPECTED))
def test_cases_api_role_matrix(world, who):  # noqa: F811
    case, other_case, users = world
    client = api(users[who])
    by_name = {"case": case, "other_case": other_case}
    response = client.get("/api/v1/cases/?status=all")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {
        by_name[n].pk for n in EXPECTED[who]
    }
    for name, target in by_name.items():
        detail = client.get(f"/api/v1/cases/{target.pk}/")
        assert detail.status_code == (200 if name in EXPECTED[who] else 404), (
            who,
            name,
        )
    assert client.get("/api/v1/cases/999999/").status_code == 404


def test_the_lead_reads_the_family_and_team(world):  # noqa: F811
    case, _, users = world
    body = api(users["lead"]).get(f"/api/v1/cases/{case.pk}/").json()
    assert body["status"] == "allocated" and body["locality"] == "erdington"
    assert [p["given_name"] for p in body["people"]] == ["Ayesha"]
    assert {m["name"] for m in body["team"]} == {
        users["lead"].display_name,
        users["team_member"].display_name,
        users["requester_on_team"].display_name,
    }


def test_a_partner_on_the_team_gets_the_team_view(world):  # noqa: F811
    case, _, users = world
    client = api(users["requester_on_team"])
    body = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert body["people"] is None and body["postcode"] is None
    assert "Ayesha" not in client.get("/api/v1/cases/").content.decode()


def test_each_read_is_logged_with_the_people_shown(world):  # noqa: F811
    case, _, users = world
    before = AccessLog.objects.count()
    api(users["lead"]).get(f"/api/v1/cases/{case.pk}/")
    logged = AccessLog.objects.order_by("pk")[before:]
    assert [(e.object_type, e.channel, e.action) for e in logged] == [
        ("casework.case", "api", "view"),
        ("families.person", "api", "view"),
    ]


def test_filters_and_a_bad_status_is_a_400(world):  # noqa: F811
    case, other_case, users = world
    client = api(users["manager"])
    assert client.get("/api/v1/cases/?status=closed").json()["results"] == []
    assert client.get("/api/v1/cases/?locality=yardley").json()["results"] == []
    bad = client.get("/api/v1/cases/?status=nonsense")
    assert bad.status_code == 400 and "status" in bad.json()
    # A locality given but empty or unknown is refused, not read as all of them.
    for slug in ("", "nowhere"):
        bad = client.get(f"/api/v1/cases/?locality={slug}")
        assert bad.status_code == 400
        assert bad.json()["locality"] == ["No locality has that slug"]


def test_list_query_count_does_not_grow_with_cases():
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    client = api(manager)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/cases/").status_code == 200
        return len(ctx.captured_queries)

    for case in CaseFactory.create_batch(10, lead_practitioner=lead):
        PersonFactory(family=case.family)
    count()  # the token's first use of the day records itself once
    ten = count()
    for case in CaseFactory.create_batch(40, lead_practitioner=lead):
        PersonFactory(family=case.family)
        PersonFactory(family=case.family, given_name="Sibling")
    assert count() == ten


def test_the_schema_documents_the_cases_api(client):
    assert client.get("/api/schema/?format=json").status_code in (401, 403)
    client.force_login(UserFactory(role=Role.REQUESTER))
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/cases/" in schema["paths"]
    assert "/api/v1/cases/{case_id}/" in schema["paths"]


def test_a_page_that_is_not_a_whole_number_is_refused():
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    CaseFactory(lead_practitioner=lead)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=lead)}")
    assert api.get("/api/v1/cases/?page=1").status_code == 200
    for page in ("", "abc", "-1"):
        response = api.get(f"/api/v1/cases/?page={page}")
        assert response.status_code == 404, page
        assert response.json()["detail"] == "Invalid page."
