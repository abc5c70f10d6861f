"""A family name carrying a script appears as text everywhere: escaped in
HTML, a plain string in JSON (served as JSON, never sniffed), and printed as
written in PDFs."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from tests.factories import CaseFactory, PersonFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def case():
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory(lead_practitioner=lead)
    PersonFactory(family=case.family, given_name="Sam", family_name=SCRIPT)
    return case


def test_html_escapes_it(client, case):
    sign_in_verified(client, case.lead_practitioner)
    person = case.family.people.get()
    for url in (f"/cases/{case.pk}/", f"/cases/people/{person.pk}/", "/cases/"):
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html, url


def test_json_carries_it_as_a_string(case):
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_issue(user=case.lead_practitioner)}"
    )
    response = api.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert SCRIPT in str(response.json())


def test_pdf_prints_it_as_written(client, case, django_capture_on_commit_callbacks):
    person = case.family.people.get()
    sign_in_verified(client, UserFactory(role=Role.DATA_PROTECTION, organisation=None))
    with django_capture_on_commit_callbacks(execute=True):  # the worker's part
        asked = client.post(f"/privacy/subject-access/{person.pk}/pdf/")
    response = client.get(asked["Location"] + "download/")
    assert response.status_code == 200
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert SCRIPT in text.replace("\n", "")
