"""Hostile bytes get a 400, never a 500; pages answer 405 to methods they do
not handle (QUALITY §2: "no 500s").

A NUL byte cannot be stored by PostgreSQL (``DataError``) and invalid UTF-8
cannot be read as text: both are refused before any view, in the path, the
query string, a header or the body. JSON nested beyond a sane depth is refused
by the parser instead of exhausting Python's stack.
"""

from __future__ import annotations

import io
import json

import pytest
from django.apps import apps
from rest_framework.exceptions import ParseError

from accounts.roles import Role
from casework.models import Case
from core.jsonbody import MAX_DEPTH, JSONRefused, loads
from core.models import BenchmarkRow
from core.parsers import DepthLimitedJSONParser
from family_connect.models import FamilyConnectForm
from tests.factories import (
    DEFAULT_PASSWORD,
    CaseFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.family_connect.helpers import payload
from tests.family_connect.test_api import client_for
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

FORMS_API = "/api/v1/family-connect/"


def database_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and model._meta.label != "sessions.Session"
    }


@pytest.fixture
def client(client):
    # The answer a browser would get, not the exception behind a 500.
    client.raise_request_exception = False
    return client


@pytest.fixture
def manager():
    return UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])


@pytest.fixture
def requester():
    school = OrganisationFactory(name="Example Primary School", kind="school")
    return UserFactory(role=Role.REQUESTER, organisation=school)


def api(user):
    api_client = client_for(user)
    api_client.raise_request_exception = False
    return api_client


def assert_html_refusal(response):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    assert b"could not be read" in response.content


def assert_json_refusal(response, words="could not be read"):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert words in response.json()["detail"]


# --- The four URLs the penetration test reported -----------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/family-connect/forms/?q=%00",
        "/triage/forms/%00/",
        "/scorecard/indicators/%00/",
    ],
)
def test_a_nul_byte_in_a_reported_page_url_is_400(client, manager, url):
    sign_in_as(client, manager)
    assert_html_refusal(client.get(url))


def test_a_nul_byte_in_a_reported_api_url_is_400(manager):
    assert_json_refusal(api(manager).get("/api/v1/family-connect/%00/"))


# --- Where else a NUL byte can hide ------------------------------------------


def test_a_nul_byte_in_a_header_is_400(client):
    assert_html_refusal(client.get("/sign-in/", HTTP_X_NOTE="a\x00b"))


def test_a_nul_byte_in_the_session_cookie_is_400(client):
    # Cookie values are unquoted: "\000" becomes a NUL before the session is
    # looked up in the database.
    response = client.get("/", HTTP_COOKIE='sessionid="\\000abcdefghijklmnop"')
    assert_html_refusal(response)


@pytest.mark.parametrize("body", [b"given_name=a%00b", b"given_name=a\x00b"])
def test_a_nul_byte_in_a_form_body_is_400_and_saves_nothing(client, manager, body):
    case = CaseFactory(locality=manager.memberships.get().locality)
    person = PersonFactory(family=case.family)
    sign_in_as(client, manager)
    response = client.post(
        f"/cases/people/{person.pk}/details/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert_html_refusal(response)
    person.refresh_from_db()
    assert person.given_name == "Ayesha"


@pytest.mark.parametrize(
    "body",
    [
        b'{"family_words": "a\x00b"}',  # a raw NUL (not even valid JSON)
        b'{"family_words": "a\\u0000b"}',  # a NUL once the JSON is read
        b'{"a\\u0000": 1}',  # in a key
    ],
)
def test_a_nul_byte_in_a_json_body_is_400_and_creates_nothing(requester, body):
    response = api(requester).post(
        FORMS_API, data=body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "detail" in response.json()
    assert FamilyConnectForm.objects.count() == 0


def test_a_nul_byte_in_a_json_body_is_400_for_the_benchmark_view(client, settings):
    settings.BENCHMARK_VIEWS = True
    response = client.post(
        "/benchmark/insert/",
        data=b'{"note": "a\\u0000b"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert BenchmarkRow.objects.count() == 0


def test_a_nul_byte_in_a_multipart_field_is_400(client, manager):
    sign_in_as(client, manager)
    response = client.post(
        "/family-connect/bulk/", {"note": "a\x00b", "file": io.BytesIO(b"x")}
    )
    assert_html_refusal(response)


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/family-connect/bulk/", Role.LOCALITY_MANAGER),
        ("/cases/social-care-referrals/upload/", Role.LOCALITY_MANAGER),
        ("/scorecard/partner-figures/", Role.PERFORMANCE_LEAD),
    ],
)
def test_a_nul_byte_in_an_uploaded_csv_is_the_validators_clear_message(
    client, url, role
):
    user = UserFactory(role=role, localities=["erdington"], organisation=None)
    sign_in_as(client, user)
    upload = io.BytesIO(b"given_name,family_name\nA\x00,B\n")
    upload.name = "upload.csv"
    before = database_counts()
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert b"saved as UTF-8" in response.content
    assert database_counts() == before


# --- Invalid UTF-8 ------------------------------------------------------------


def test_invalid_utf8_in_the_query_string_is_400(client, requester):
    sign_in_as(client, requester)
    assert_html_refusal(client.get("/family-connect/forms/?q=%FF%FE"))


def test_invalid_utf8_in_the_path_is_400(client, requester):
    sign_in_as(client, requester)
    assert_html_refusal(client.get("/family-connect/resume/%C3%28/"))


def test_invalid_utf8_in_a_form_body_is_400(client, manager):
    case = CaseFactory(locality=manager.memberships.get().locality)
    person = PersonFactory(family=case.family)
    sign_in_as(client, manager)
    response = client.post(
        f"/cases/people/{person.pk}/details/",
        b"given_name=%FF",
        content_type="application/x-www-form-urlencoded",
    )
    assert_html_refusal(response)


def test_invalid_utf8_in_a_json_body_is_400(requester):
    response = api(requester).post(
        FORMS_API, data=b'{"family_words": "\xff"}', content_type="application/json"
    )
    assert_json_refusal(response)
    assert FamilyConnectForm.objects.count() == 0


def test_valid_non_ascii_text_still_passes(client, requester):
    sign_in_as(client, requester)
    response = client.get("/family-connect/forms/?q=Zo%C3%AB+%E5%AD%A6")
    assert response.status_code == 200


# --- Deeply nested JSON -------------------------------------------------------


def test_deeply_nested_json_to_the_forms_api_is_400(requester):
    response = api(requester).post(
        FORMS_API, data=b"[" * 5000, content_type="application/json"
    )
    assert_json_refusal(response, words=f"nested more than {MAX_DEPTH} levels deep")
    assert FamilyConnectForm.objects.count() == 0


def _nested(depth: int) -> object:
    value: object = "words"
    for _ in range(depth):
        value = [value]
    return value


def test_json_at_the_depth_limit_is_read_normally(requester):
    # The body's outer object and "request" are two levels: the whole body is
    # exactly MAX_DEPTH deep, so it reaches the serializer, which names the
    # field, instead of the parser refusing it.
    body = payload(request__family_words=_nested(MAX_DEPTH - 2))
    response = api(requester).post(
        FORMS_API, data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert "family_words" in response.json()["request"]
    body = payload(request__family_words=_nested(MAX_DEPTH - 1))
    response = api(requester).post(
        FORMS_API, data=json.dumps(body), content_type="application/json"
    )
    assert_json_refusal(response, words=f"nested more than {MAX_DEPTH} levels deep")
    response = api(requester).post(
        FORMS_API, data=json.dumps(payload()), content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_the_parser_reads_the_limit_and_refuses_one_level_more():
    parser = DepthLimitedJSONParser()
    at_limit = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    value = parser.parse(io.BytesIO(at_limit))
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == []
    with pytest.raises(ParseError, match="nested more than"):
        parser.parse(io.BytesIO(b"[" + at_limit + b"]"))
    with pytest.raises(ParseError, match="nested more than"):
        parser.parse(io.BytesIO(b'{"a":' * (MAX_DEPTH + 1) + b"1" + b"}" * 65))


def test_brackets_inside_strings_are_not_nesting():
    text = json.dumps({"note": "[" * 5000 + '\\"{' * 100})
    assert loads(text) == {"note": "[" * 5000 + '\\"{' * 100}


def test_nan_and_infinity_are_refused():
    # PostgreSQL's jsonb cannot hold them either.
    for text in ("NaN", '{"a": Infinity}', "[-Infinity]"):
        with pytest.raises(JSONRefused):
            loads(text)


def test_deeply_nested_json_to_the_benchmark_view_is_400(client, settings):
    settings.BENCHMARK_VIEWS = True
    response = client.post(
        "/benchmark/insert/", data=b"[" * 5000, content_type="application/json"
    )
    assert response.status_code == 400
    assert BenchmarkRow.objects.count() == 0


# --- Methods a page does not handle -------------------------------------------


@pytest.mark.parametrize("method", ["put", "delete", "patch", "propfind", "trace"])
def test_a_case_page_answers_405_to_methods_it_does_not_handle(client, method):
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory(lead_practitioner=lead, locality=lead.memberships.get().locality)
    sign_in_as(client, lead)
    before = list(Case.objects.values())
    response = client.generic(method.upper(), f"/cases/{case.pk}/", b"status=closed")
    assert response.status_code == 405
    allowed = set(response["Allow"].split(", "))
    assert "GET" in allowed and method.upper() not in allowed
    assert list(Case.objects.values()) == before


def test_a_case_page_still_answers_get_and_head(client):
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory(lead_practitioner=lead, locality=lead.memberships.get().locality)
    sign_in_as(client, lead)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.head(f"/cases/{case.pk}/").status_code == 200


def test_signing_in_by_put_is_405_and_signs_nobody_in(client):
    # Django's form views treat PUT as POST.
    user = UserFactory(role=Role.REQUESTER)
    response = client.generic(
        "PUT",
        "/sign-in/",
        f"username={user.email}&password={DEFAULT_PASSWORD}".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 405
    assert "_auth_user_id" not in client.session


def test_the_api_keeps_its_own_405(manager):
    response = api(manager).put(FORMS_API, data={}, format="json")
    assert response.status_code == 405
    assert response.json()["detail"]
