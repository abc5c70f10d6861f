"""schemathesis over the OpenAPI schema, once per role with that role's API
token: no answer is a server error, and every answer matches the schema (its
status codes, content types, headers and bodies)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from accounts.roles import Role
from accounts.services import api_token_issue
from tests.factories import (
    CaseFactory,
    FormFactory,
    OrganisationFactory,
    UserFactory,
    grant_citywide_triage,
)

pytestmark = pytest.mark.django_db


def _schema():
    # Built when the module is collected, before any database is open: the
    # locality parameters list the slugs the reference data loads.
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()

ROLES = [
    Role.REQUESTER,
    Role.PRACTITIONER,
    Role.LOCALITY_MANAGER,
    Role.AUDITOR,
    Role.PERFORMANCE_LEAD,
    Role.ADMINISTRATOR,
    Role.DATA_PROTECTION,
]


@pytest.fixture(autouse=True)
def _in_the_tests_transaction():
    """Calls go to the WSGI application in this thread; as Django's test client
    does, keep the test's database connection open between them."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=ROLES)
def token(request, settings):
    role = request.param
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    school = OrganisationFactory(name="Fuzz Primary", kind="school")
    user = UserFactory(role=role, organisation=school, localities=["erdington"])
    # Something to find: a case the user leads or manages, a form of theirs.
    if role == Role.PRACTITIONER:
        CaseFactory(lead_practitioner=user)
    if role == Role.LOCALITY_MANAGER:
        CaseFactory()
        # The city-wide queue: a form with no locality and no organisation.
        user = grant_citywide_triage(user)
        FormFactory(route="phone", locality=None, organisation=None)
    FormFactory(requester=user, organisation=school)
    # A colleague's form, which a requester sees in its status-only shape.
    colleague = UserFactory(role=Role.REQUESTER, organisation=school)
    FormFactory(requester=colleague, organisation=school)
    return api_token_issue(user=user)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_every_answer_matches_the_schema(case, token):
    # Every check but one: a body the schema allows may still break a rule
    # the schema cannot state (a postcode outside the city, a reason code that
    # is no longer active), and is rightly refused with a 400.
    # The answers are compressed for clients that ask (GZip middleware); the
    # fuzzer's in-process transport does not decompress, so it asks for none.
    case.call_and_validate(
        headers={"Authorization": f"Token {token}", "Accept-Encoding": "identity"},
        excluded_checks=[positive_data_acceptance],
    )
