"""The triage page of a form attached to an open case links to the case by
the family's name, with breadcrumbs back to the queue."""

from __future__ import annotations

import re

import pytest

from accounts.roles import Role
from tests.factories import CaseFactory, FormFactory, PersonFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


def test_the_form_links_to_its_case_by_the_familys_name(client):
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Mia", family_name="Taylor")
    form = FormFactory(case=case, family=case.family)
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, manager)
    html = client.get(f"/triage/forms/{form.reference}/").content.decode()
    found = re.search(r'data-testid="open-case">(.*?)</p>', html, re.S)
    assert found
    assert f'href="/cases/{case.pk}/">Taylor family</a>' in found.group(1)
    assert f"(case {case.pk})" in found.group(1)
    crumbs = re.search(r'data-testid="breadcrumbs">(.*?)</nav>', html, re.S)
    assert crumbs
    assert re.findall(r'href="([^"]+)">([^<]+)</a>', crumbs.group(1)) == [
        ("/", "Home"),
        ("/triage/", "Triage"),
        ("/triage/erdington/", "Erdington queue"),
    ]


def test_a_form_without_a_case_names_none(client):
    form = FormFactory()
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, manager)
    html = client.get(f"/triage/forms/{form.reference}/").content.decode()
    assert 'data-testid="open-case"' not in html
