from __future__ import annotations

import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Organisation
from accounts.roles import Role
from accounts.services import api_token_issue
from core.models import AccessLog
from family_connect.models import FamilyConnectForm, FormEvent, IdempotencyKey
from tests.factories import OrganisationFactory, UserFactory, grant_citywide_triage
from tests.family_connect.helpers import children, payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/family-connect/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


@pytest.fixture
def requester():
    school = OrganisationFactory(name="Example Primary School", kind="school")
    return UserFactory(role=Role.REQUESTER, organisation=school)


def post(client, body, **headers):
    return client.post(
        URL, data=json.dumps(body), content_type="application/json", **headers
    )


def test_submit_answers_201_with_reference_status_and_locality(requester):
    response = post(client_for(requester), payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= {"reference", "status", "locality"}
    assert body["status"] == "submitted"
    assert body["locality"] == "erdington"  # B23 → Erdington
    form = FamilyConnectForm.objects.get(reference=body["reference"])
    assert form.requester == requester
    assert form.organisation == requester.organisation
    assert form.members.count() == 2
    assert sorted(form.reasons.values_list("code", flat=True)) == [
        "domestic_abuse",
        "financial_housing_employment",
    ]
    assert FormEvent.objects.filter(form=form, kind="submitted").count() == 1
    assert body["reference"].startswith("FC-") and len(body["reference"]) == 12


def test_unresolved_postcode_leaves_locality_null(requester):
    response = post(client_for(requester), payload(household__postcode="ZZ9 9ZZ"))
    assert response.status_code == 201
    assert response.json()["locality"] is None


def test_submission_queues_confirmation_and_triage_notice_with_reference_only(
    requester, django_capture_on_commit_callbacks
):
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    UserFactory(role=Role.LOCALITY_MANAGER, localities=["yardley"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client_for(requester), payload())
    reference = response.json()["reference"]
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([requester.email, manager.email])
    for message in mail.outbox:
        assert reference in message.subject
        assert "Khan" not in message.body and "Ayesha" not in message.body
        assert "B23" not in message.body


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"household__postcode": "not a postcode"}, ("household", "postcode")),
        (
            {"household__members__0__date_of_birth": "2999-01-01"},
            ("household", "members", 0, "date_of_birth"),
        ),
        ({"request__reasons": []}, ("request", "reasons")),
        ({"request__reasons": ["no_such_reason"]}, ("request", "reasons")),
        ({"request__consent": False}, ("request", "consent")),
        ({"request__level_of_need": "huge"}, ("request", "level_of_need")),
        ({"request__route": "carrier_pigeon"}, ("request", "route")),
        (
            {"household__members__0__ethnicity": "martian"},
            ("household", "members", 0, "ethnicity"),
        ),
        (
            {"household__members__1__relationship": ""},
            ("household", "members", 1, "relationship"),
        ),
        (
            {"request__closed_to_social_care_on": "2024-01-01"},
            ("request", "closed_to_social_care_on"),
        ),
        (
            {"request__safeguarding_concern": True},
            ("request", "front_door_contacted"),
        ),
    ],
)
def test_bad_input_answers_400_with_the_field_and_saves_nothing(
    requester, changes, path
):
    response = post(client_for(requester), payload(**changes))
    assert response.status_code == 400, response.content
    node = response.json()
    for key in path:
        node = node[str(key)]
    assert node  # a message at exactly that field
    assert FamilyConnectForm.objects.count() == 0


def test_missing_household_is_a_field_error(requester):
    body = payload()
    del body["household"]
    response = post(client_for(requester), body)
    assert response.status_code == 400
    assert "household" in response.json()


def test_consultation_without_consent_is_accepted(requester):
    response = post(
        client_for(requester),
        payload(request__request_type="consultation", request__consent=False),
    )
    assert response.status_code == 201


def test_same_idempotency_key_creates_one_form(requester):
    client = client_for(requester)
    first = post(client, payload(), HTTP_IDEMPOTENCY_KEY="abc-123")
    second = post(client, payload(), HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert FamilyConnectForm.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_same_key_with_a_different_body_is_refused(requester):
    client = client_for(requester)
    post(client, payload(), HTTP_IDEMPOTENCY_KEY="abc-123")
    response = post(
        client,
        payload(request__level_of_need="universal"),
        HTTP_IDEMPOTENCY_KEY="abc-123",
    )
    assert response.status_code == 422
    assert FamilyConnectForm.objects.count() == 1


def test_keys_are_per_user(requester):
    other = UserFactory(role=Role.REQUESTER, organisation=requester.organisation)
    post(client_for(requester), payload(), HTTP_IDEMPOTENCY_KEY="k")
    post(client_for(other), payload(), HTTP_IDEMPOTENCY_KEY="k")
    assert FamilyConnectForm.objects.count() == 2


def test_without_a_key_two_posts_are_two_forms(requester):
    client = client_for(requester)
    post(client, payload())
    post(client, payload())
    assert FamilyConnectForm.objects.count() == 2


@pytest.mark.parametrize(
    ("role", "route", "expected"),
    [
        (Role.REQUESTER, "school", 201),
        (Role.REQUESTER, "phone", "school"),
        (Role.REQUESTER, "family", "school"),
        (Role.REQUESTER, "bulk", "school"),
        (Role.PRACTITIONER, "phone", 201),
        (Role.PRACTITIONER, "school", "phone"),
        (Role.AUDITOR, "school", 403),
        (Role.PERFORMANCE_LEAD, "professional", 403),
        (Role.ADMINISTRATOR, "professional", 403),
    ],
)
def test_routes_by_role(role, route, expected):
    """A route the caller may not use is a mistake in the field ``route``,
    naming the ones they may use; a caller who may use none is refused."""
    school = OrganisationFactory(kind="school")
    user = UserFactory(role=role, organisation=school, localities=["erdington"])
    body = payload(request__route=route)
    if route in ("phone", "family"):
        body["request"]["contact"] = {"name": "Sara Khan", "phone": "0121 000 0000"}
    response = post(client_for(user), body)
    if isinstance(expected, str):
        assert response.status_code == 400, response.content
        assert response.json() == {
            "request": {
                "route": [
                    f"You cannot submit a form by the route {route!r}. "
                    f"Routes you may use: {expected}."
                ]
            }
        }
    else:
        assert response.status_code == expected, response.content
    assert FamilyConnectForm.objects.count() == (1 if expected == 201 else 0)


def test_step_down_by_childrens_trust_user_needs_the_closure_date():
    trust = OrganisationFactory(
        name="Children's Trust", kind=Organisation.Kind.CHILDRENS_TRUST
    )
    user = UserFactory(role=Role.REQUESTER, organisation=trust)
    client = client_for(user)
    missing = post(client, payload(request__route="step_down"))
    assert missing.status_code == 400
    assert "closed_to_social_care_on" in missing.json()["request"]
    ok = post(
        client,
        payload(
            request__route="step_down", request__closed_to_social_care_on="2026-01-10"
        ),
    )
    assert ok.status_code == 201
    form = FamilyConnectForm.objects.get()
    assert (
        form.route == "step_down" and str(form.closed_to_social_care_on) == "2026-01-10"
    )


def test_requester_reading_another_organisations_form_gets_404(requester):
    reference = post(client_for(requester), payload()).json()["reference"]
    outsider = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
    assert client_for(outsider).get(f"{URL}{reference}/").status_code == 404
    own = client_for(requester).get(f"{URL}{reference}/").json()
    assert own["members"][0]["given_name"] == "Ayesha"
    # A colleague at the same organisation sees the status and decision only.
    colleague = UserFactory(role=Role.REQUESTER, organisation=requester.organisation)
    response = client_for(colleague).get(f"{URL}{reference}/")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == reference and body["status"] == "submitted"
    assert body["decision"] is None
    assert "members" not in body and "postcode" not in body
    assert "Ayesha" not in response.content.decode()
    assert AccessLog.objects.filter(
        user=colleague, object_id=str(FamilyConnectForm.objects.get().pk), channel="api"
    ).exists()
    assert client_for(requester).get(f"{URL}FC-0000-0000/").status_code == 404


@pytest.mark.parametrize(
    ("role", "localities", "sees"),
    [
        (Role.REQUESTER, [], {"mine"}),
        (Role.LOCALITY_MANAGER, ["erdington"], {"mine", "theirs"}),
        ("citywide", ["erdington"], {"mine", "theirs", "unresolved"}),
        ("citywide", ["yardley"], {"unresolved"}),
        (Role.LOCALITY_MANAGER, ["yardley"], set()),
        (Role.LOCALITY_MANAGER, [], set()),
        (Role.PRACTITIONER, ["erdington"], set()),
        (Role.AUDITOR, ["erdington"], set()),
        (Role.PERFORMANCE_LEAD, [], set()),
        (Role.ADMINISTRATOR, [], set()),
    ],
)
def test_list_returns_exactly_the_forms_in_scope(requester, role, localities, sees):
    other = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
    refs = {
        "mine": post(client_for(requester), payload()).json()["reference"],
        "theirs": post(client_for(other), payload()).json()["reference"],
        "unresolved": post(
            client_for(other), payload(household__postcode="ZZ9 9ZZ")
        ).json()["reference"],
    }
    if role == Role.REQUESTER:
        viewer = UserFactory(role=role, organisation=requester.organisation)
    elif role == "citywide":
        viewer = grant_citywide_triage(
            UserFactory(role=Role.LOCALITY_MANAGER, localities=localities)
        )
    else:
        viewer = UserFactory(role=role, localities=localities)
    response = client_for(viewer).get(URL)
    assert response.status_code == 200
    got = {row["reference"] for row in response.json()["results"]}
    assert got == {refs[name] for name in sees}


def test_list_query_count_does_not_grow_with_rows(
    requester, django_assert_max_num_queries
):
    client = client_for(requester)
    for _ in range(12):
        post(client, payload())
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.json()["results"]) == 12


def _submit_queries(client, body) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = post(client, body)
    assert response.status_code == 201, response.content
    return len(ctx.captured_queries)


def test_submit_query_count_is_constant_in_members_and_reasons(requester):
    client = client_for(requester)
    # The first form makes the household known, so both measured forms take the
    # same path through matching.
    post(client, payload())
    small = _submit_queries(client, payload())
    big_body = payload(
        request__reasons=[
            "financial_housing_employment",
            "health_emotional_wellbeing",
            "children_young_people",
            "domestic_abuse",
            "education",
            "risk_of_homelessness",
            "neglect",
            "other",
        ]
    )
    big_body["household"]["members"] += children(9)
    big = _submit_queries(client, big_body)
    assert big == small
    # Token, organisation and user in one query; matching, locality, inboxes,
    # the form and its rows, event and notification, transaction control.
    assert small <= 19


def test_schema_documents_the_family_connect_endpoints(requester):
    client = client_for(requester)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = (
        response.json()
        if response["Content-Type"].startswith("application/json")
        else None
    )
    text = response.content.decode()
    assert "/api/v1/family-connect/" in text
    assert "/api/v1/family-connect/{reference}/" in text
    assert "Idempotency-Key" in text
    del schema


def test_interactive_docs_are_served_from_our_own_static_files(client, requester):
    assert client.get("/api/docs/").status_code in (401, 403)
    client.force_login(requester)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "jsdelivr" not in html.lower()
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()


def test_only_a_locality_manager_may_place_a_form_outside_its_postcodes_locality(
    requester,
):
    body = payload(request__locality="yardley")
    assert post(client_for(requester), body).json()["locality"] == "erdington"
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["yardley"])
    phone = payload(request__locality="yardley", request__route="phone")
    phone["request"]["contact"] = {"name": "Sara Khan", "phone": "0121 000 0000"}
    assert post(client_for(manager), phone).json()["locality"] == "yardley"


def test_an_unresolved_form_is_announced_to_the_citywide_managers(
    requester, django_capture_on_commit_callbacks
):
    citywide = grant_citywide_triage(
        UserFactory(role=Role.LOCALITY_MANAGER, localities=["ladywood"])
    )
    UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    with django_capture_on_commit_callbacks(execute=True):
        post(client_for(requester), payload(household__postcode="ZZ9 9ZZ"))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [requester.email, citywide.email]
    )
