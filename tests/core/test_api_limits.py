"""The API's answers to bodies it will not read are the ones its schema
documents, in JSON: 413 for a body over the size limit, 411 for a chunked body
(no Content-Length), 400 for JSON with more members or items than any real
body has. Nothing is changed by any of them."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from accounts.roles import Role
from core.jsonbody import MAX_ITEMS, MAX_KEYS, JSONRefused, loads
from family_connect.models import FamilyConnectForm
from tests.factories import UserFactory
from tests.family_connect.helpers import payload
from tests.family_connect.test_api import client_for

pytestmark = pytest.mark.django_db

FORMS_API = "/api/v1/family-connect/"


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


@pytest.fixture
def api():
    client = client_for(UserFactory(role=Role.REQUESTER))
    client.raise_request_exception = False
    return client


def assert_json(response, status: int, words: str) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert words in response.json()["detail"], response.json()


# --- Size ----------------------------------------------------------------------


def oversized() -> bytes:
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    return json.dumps(payload(request__family_words=padding)).encode()


def test_an_oversized_api_body_is_413_json_and_creates_nothing(api):
    response = api.post(FORMS_API, data=oversized(), content_type="application/json")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    assert_json(response, 413, f"larger than {limit} KB")
    assert FamilyConnectForm.objects.count() == 0


def test_an_oversized_page_post_is_a_413_page(client):
    response = client.post("/sign-in/", data=oversized(), content_type="text/plain")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert b"larger than" in response.content


# --- Chunked bodies ------------------------------------------------------------


def chunked(client, body: bytes, path: str = FORMS_API):
    # As gunicorn passes a chunked request on: a Transfer-Encoding header and
    # no Content-Length (Django then reads the body as empty).
    return client.generic(
        "POST",
        path,
        body,
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
    )


def test_a_chunked_api_body_is_411_json_and_creates_nothing(api):
    response = chunked(api, json.dumps(payload()).encode())
    assert_json(response, 411, "Content-Length")
    assert FamilyConnectForm.objects.count() == 0


def test_a_chunked_page_post_is_a_411_page(client):
    response = chunked(client, b"username=a%40example.org", path="/sign-in/")
    assert response.status_code == 411
    assert response["Content-Type"].startswith("text/html")
    assert b"Content-Length" in response.content


def test_a_body_with_its_length_is_read_as_before(api):
    response = api.post(FORMS_API, payload(), format="json")
    assert response.status_code == 201, response.content[:300]


# --- JSON members and items ----------------------------------------------------


def test_1500_json_keys_to_the_api_are_400_and_create_nothing(api):
    body = payload()
    body["request"]["extra"] = {f"k{i}": i for i in range(1500)}
    response = api.post(FORMS_API, body, format="json")
    assert_json(response, 400, f"more than {MAX_KEYS} keys")
    assert FamilyConnectForm.objects.count() == 0


def test_a_long_json_list_to_the_api_is_400_and_creates_nothing(api):
    body = payload()
    body["request"]["extra"] = list(range(MAX_ITEMS + 1))
    response = api.post(FORMS_API, body, format="json")
    assert_json(response, 400, f"more than {MAX_ITEMS} items")
    assert FamilyConnectForm.objects.count() == 0


def test_the_reader_takes_the_limits_and_refuses_one_more():
    assert len(loads(json.dumps({f"k{i}": i for i in range(MAX_KEYS)}))) == MAX_KEYS
    # Keys are counted across the whole document, nested objects included.
    nested = {"a": {f"k{i}": i for i in range(MAX_KEYS - 1)}}
    assert loads(json.dumps(nested)) == nested
    with pytest.raises(JSONRefused, match=f"more than {MAX_KEYS} keys"):
        loads(json.dumps({"b": 1, **nested, "c": {"d": 1}}))
    assert len(loads(json.dumps(list(range(MAX_ITEMS))))) == MAX_ITEMS
    with pytest.raises(JSONRefused, match=f"more than {MAX_ITEMS} items"):
        loads(json.dumps({"a": [list(range(MAX_ITEMS + 1))]}))


def test_the_largest_real_body_is_read():
    """A household of 30 people, each with every field filled in."""
    body = payload()
    body["household"]["members"] *= 15
    assert len(loads(json.dumps(body))["household"]["members"]) == 30


# --- Schema --------------------------------------------------------------------


def test_the_schema_lists_411_413_and_503_with_retry_after(client):
    client.force_login(UserFactory(role=Role.REQUESTER))
    schema = client.get("/api/schema/?format=json").json()
    post = schema["paths"][FORMS_API]["post"]["responses"]
    assert {"400", "411", "413", "503"} <= set(post)
    assert "Retry-After" in post["503"]["headers"]
