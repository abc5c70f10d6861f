from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from core.models import AccessLog
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    join_team,
)
from tests.helpers import sign_in, sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory(lead_practitioner=lead)
    PersonFactory(family=case.family)
    other_case = CaseFactory(
        lead_practitioner=UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    )
    school = OrganisationFactory(name="Example Primary", kind="school")
    users = {
        "lead": lead,
        "team_member": UserFactory(role=Role.PRACTITIONER, localities=["erdington"]),
        "same_locality": UserFactory(role=Role.PRACTITIONER, localities=["erdington"]),
        "other_locality": UserFactory(role=Role.PRACTITIONER, localities=["yardley"]),
        "requester_on_team": UserFactory(role=Role.REQUESTER, organisation=school),
        "requester_not_on_team": UserFactory(role=Role.REQUESTER, organisation=school),
        "manager": UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"]),
        "other_manager": UserFactory(
            role=Role.LOCALITY_MANAGER, localities=["yardley"]
        ),
        "auditor": UserFactory(role=Role.AUDITOR, localities=["erdington"]),
        "performance_lead": UserFactory(role=Role.PERFORMANCE_LEAD),
        "administrator": UserFactory(role=Role.ADMINISTRATOR),
    }
    for name in ("team_member", "requester_on_team"):
        join_team(case, users[name])
    return case, other_case, users


# Which of the two cases each user may list and open.
EXPECTED = {
    "lead": {"case"},
    "team_member": {"case"},
    "same_locality": set(),
    "other_locality": set(),
    "requester_on_team": {"case"},
    "requester_not_on_team": set(),
    "manager": {"case", "other_case"},
    "other_manager": set(),
    "auditor": set(),
    "performance_lead": set(),
    "administrator": set(),
}
LISTS = {
    "lead",
    "team_member",
    "same_locality",
    "other_locality",
    "requester_on_team",
    "requester_not_on_team",
    "manager",
    "other_manager",
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_case_role_matrix(client, world, who):
    case, other_case, users = world
    user = users[who]
    if user.role == Role.REQUESTER:
        sign_in(client, user)
    else:
        sign_in_verified(client, user)
    by_name = {"case": case, "other_case": other_case}
    response = client.get("/cases/")
    if who in LISTS:
        assert response.status_code == 200
        listed = {row["pk"] for row in response.context["rows"]}
        assert listed == {by_name[n].pk for n in EXPECTED[who]}
    else:
        assert response.status_code == 404
    for name, target in by_name.items():
        page = client.get(f"/cases/{target.pk}/")
        assert page.status_code == (200 if name in EXPECTED[who] else 404), (who, name)
    assert client.get("/cases/999999/").status_code == 404


def test_a_requester_on_the_team_sees_the_team_and_children_not_the_family(
    client, world
):
    case, _, users = world
    sign_in(client, users["requester_on_team"])
    html = client.get(f"/cases/{case.pk}/").content.decode()
    child = case.family.people.first()
    # The children's names, never the family's address or their details.
    assert f"{child.given_name} {child.family_name}" in html
    assert case.family.postcode not in html
    assert case.family.address_line not in html
    assert child.get_ethnicity_display() not in html
    assert users["lead"].display_name in html


def test_each_case_read_writes_one_access_log_entry(client, world):
    case, _, users = world
    sign_in_verified(client, users["lead"])
    client.get(f"/cases/{case.pk}/")
    assert (
        AccessLog.objects.filter(
            user=users["lead"],
            object_type="casework.case",
            object_id=str(case.pk),
            action="view",
        ).count()
        == 1
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_caseload_and_case_page_query_counts_do_not_grow(client):
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, manager)
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    cases = CaseFactory.create_batch(10, lead_practitioner=lead)
    for case in cases:
        PersonFactory(family=case.family)
    ten = _queries(client, "/cases/")
    page_ten = _queries(client, f"/cases/{cases[0].pk}/")
    more = CaseFactory.create_batch(190, lead_practitioner=lead)
    for case in more:
        PersonFactory(family=case.family)
        PersonFactory(family=cases[0].family, given_name="Sibling")
    assert _queries(client, "/cases/") == ten
    assert _queries(client, f"/cases/{cases[0].pk}/") == page_ten
    assert ten <= 20 and page_ten <= 20


def test_partners_caseload_has_no_childrens_names(client, world):
    case, _, users = world
    sign_in(client, users["requester_on_team"])
    html = client.get("/cases/").content.decode()
    assert case.family.people.first().given_name not in html


def test_the_case_page_logs_each_person_shown(client, world):
    case, _, users = world
    sign_in_verified(client, users["lead"])
    client.get(f"/cases/{case.pk}/")
    person = case.family.people.first()
    assert (
        AccessLog.objects.filter(
            user=users["lead"], object_type="families.person", object_id=str(person.pk)
        ).count()
        == 1
    )


@pytest.mark.parametrize("page", ["assessment/", "close/", "reviews/", "step-up/"])
def test_case_work_pages_log_the_people_they_show(client, world, page):
    case, _, users = world
    sign_in_verified(client, users["lead"])
    assert client.get(f"/cases/{case.pk}/{page}").status_code == 200
    person = case.family.people.first()
    assert AccessLog.objects.filter(
        user=users["lead"], object_type="families.person", object_id=str(person.pk)
    ).exists()


# Every casework page of one case: who may open it (GET).
WORK_PAGES = ["assessment/", "plan/", "reviews/", "close/", "step-up/"]
MAY_WORK = {"lead", "team_member", "manager"}
SEES_PLAN = MAY_WORK | {"requester_on_team"}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_casework_pages_role_matrix(client, world, who):
    case, _, users = world
    user = users[who]
    if user.role == Role.REQUESTER:
        sign_in(client, user)
    else:
        sign_in_verified(client, user)
    for page in WORK_PAGES:
        allowed = who in (SEES_PLAN if page == "plan/" else MAY_WORK)
        response = client.get(f"/cases/{case.pk}/{page}")
        assert response.status_code == (200 if allowed else 404), (who, page)
    # Writes by anyone who may not work the case change nothing.
    before = case.events.count()
    for page, data in [
        ("notes/", {"kind": "note", "text": "x"}),
        ("team/", {"email": users["performance_lead"].email}),
        ("close/", {"reason": "other"}),
        (
            "step-up/",
            {"people": [p.pk for p in case.family.people.all()], "reason": "x"},
        ),
        ("closure/", {"do": "reopen", "reason": "x"}),
    ]:
        response = client.post(f"/cases/{case.pk}/{page}", data)
        if who not in MAY_WORK:
            assert response.status_code == 404, (who, page)
    if who not in MAY_WORK:
        assert case.events.count() == before
    dashboard = client.get("/cases/dashboard/").status_code
    expected = 200 if user.role in (Role.PRACTITIONER, Role.LOCALITY_MANAGER) else 404
    assert dashboard == expected
