"""The case and its pages are known by the family's name, with breadcrumbs
back to the case; partners on the team see the children and how to reach the
lead practitioner, not the family's address."""

from __future__ import annotations

import re

import pytest

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
def case():
    lead = UserFactory(
        role=Role.PRACTITIONER,
        localities=["erdington"],
        full_name="Grace Okafor",
        phone="0121 496 0000",
        organisation=OrganisationFactory(name="Erdington Early Help"),
    )
    case = CaseFactory(lead_practitioner=lead)
    PersonFactory(
        family=case.family,
        role="adult",
        relationship="mother",
        given_name="Jo",
        family_name="Taylor",
        date_of_birth=None,
    )
    PersonFactory(family=case.family, given_name="Mia", family_name="Taylor")
    return case


def title_of(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found
    return " ".join(found.group(1).split())


def test_the_case_page_is_headed_by_the_familys_name(client, case):
    sign_in_verified(client, case.lead_practitioner)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert title_of(html).startswith(f"Taylor family (case {case.pk})")
    assert re.search(r'data-testid="case-heading">Taylor family</h1>', html)
    assert re.search(rf'data-testid="case-caption">Case {case.pk}, Erdington<', html)


def test_a_case_with_nobody_on_it_keeps_its_number(client):
    case = CaseFactory()
    sign_in_verified(client, case.lead_practitioner)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert re.search(rf'data-testid="case-heading">Case {case.pk}</h1>', html)
    assert title_of(html).startswith(f"Case {case.pk} –")


@pytest.mark.parametrize(
    ("page", "heading"),
    [
        ("assessment/", "Early Help Assessment"),
        ("plan/", "Our Family Plan"),
        ("reviews/", "Reviews"),
        ("close/", "Close the case"),
        ("step-up/", "Step up"),
        ("people/new/", "Add someone to the case"),
    ],
)
def test_the_case_pages_name_the_family_and_lead_back_by_breadcrumbs(
    client, case, page, heading
):
    sign_in_verified(client, case.lead_practitioner)
    response = client.get(f"/cases/{case.pk}/{page}")
    assert response.status_code == 200
    html = response.content.decode()
    assert title_of(html).startswith(f"{heading}")
    assert f"Taylor family (case {case.pk})" in title_of(html)
    assert re.search(
        rf'data-testid="family-caption">Taylor family, case {case.pk}</span>', html
    )
    crumbs = re.search(r'data-testid="breadcrumbs">(.*?)</nav>', html, re.S)
    assert crumbs
    links = re.findall(r'href="([^"]+)">([^<]+)</a>', crumbs.group(1))
    assert links == [
        ("/", "Home"),
        ("/cases/", "Cases"),
        (f"/cases/{case.pk}/", "Taylor family"),
    ]
    assert "govuk-back-link" not in html


def test_an_auditors_breadcrumbs_leave_out_the_caseload_they_cannot_open(case):
    from accounts.navigation import breadcrumbs

    auditor = UserFactory(role=Role.AUDITOR)
    assert breadcrumbs(auditor, ("Cases", "casework:caseload"), ("Family", "/x/")) == [
        ("Home", "/"),
        ("Family", "/x/"),
    ]


def test_a_partner_sees_the_children_and_the_leads_contact_not_the_address(
    client, case
):
    partner = UserFactory(role=Role.REQUESTER)
    join_team(case, partner)
    sign_in(client, partner)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert re.search(r'data-testid="case-heading">Taylor family</h1>', html)
    children = re.search(r'data-testid="children">(.*?)</ul>', html, re.S)
    assert children and "Mia Taylor" in children.group(1)
    assert "Jo Taylor" not in html
    contact = re.search(r'data-testid="lead-contact">(.*?)</dl>', html, re.S)
    assert contact
    text = contact.group(1)
    for shown in (
        "Grace Okafor",
        "Practitioner, Erdington Early Help",
        "0121 496 0000",
        case.lead_practitioner.email,
    ):
        assert shown in text
    assert case.family.postcode not in html
    assert case.family.address_line not in html
    mia = case.family.people.get(given_name="Mia")
    assert AccessLog.objects.filter(
        user=partner, object_type="families.person", object_id=str(mia.pk)
    ).exists()


def test_a_lead_without_a_phone_number_shows_not_given(client, case):
    case.lead_practitioner.phone = ""
    case.lead_practitioner.save(update_fields=["phone"])
    partner = UserFactory(role=Role.REQUESTER)
    join_team(case, partner)
    sign_in(client, partner)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    contact = re.search(r'data-testid="lead-contact">(.*?)</dl>', html, re.S)
    assert contact and "Not given" in contact.group(1)


def test_a_partner_not_on_the_team_sees_nothing(client, case):
    sign_in(client, UserFactory(role=Role.REQUESTER))
    assert client.get(f"/cases/{case.pk}/").status_code == 404
