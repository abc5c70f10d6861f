"""When the database or the broker is away for a moment (a restart, a
failover), requests get a 503 with ``Retry-After``, in the form the client
reads (JSON on the API, the service's "try again" page elsewhere), never a
500; a form, or a job asked for, still succeeds while the broker is down
(QUALITY §3)."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connections
from kombu.exceptions import OperationalError as BrokerError

from accounts.roles import Role
from core.models import Notification
from family_connect.models import FamilyConnectForm
from scorecard.models import Release, ReleaseStatus
from tests.factories import UserFactory
from tests.family_connect.helpers import payload
from tests.family_connect.test_api import client_for
from tests.helpers import sign_in_verified

FORMS_API = "/api/v1/family-connect/"


@contextmanager
def database_down(error: type[Exception] = OperationalError):
    """Every query fails as it does while PostgreSQL restarts: a new cursor
    (and a transaction's start) needs the connection, which is refused."""
    refused = error("connection refused: the database system is shutting down")
    with mock.patch.object(
        connections["default"], "ensure_connection", side_effect=refused
    ):
        yield


def api(user):
    client = client_for(user)
    client.raise_request_exception = False
    return client


def assert_json_503(response):
    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) > 0
    assert "try again" in response.json()["detail"].lower()


def assert_page_503(response):
    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    assert int(response["Retry-After"]) > 0
    assert b"try again in a moment" in response.content.lower()


@pytest.fixture
def requester():
    return UserFactory(role=Role.REQUESTER)


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_an_api_token_request_is_503_json_while_the_database_is_down(requester, error):
    client = api(requester)
    with database_down(error):
        response = client.get(FORMS_API)
    assert_json_503(response)


@pytest.mark.django_db
def test_an_api_post_is_503_json_and_creates_nothing(requester):
    client = api(requester)
    with database_down():
        response = client.post(FORMS_API, payload(), format="json")
    assert_json_503(response)
    assert FamilyConnectForm.objects.count() == 0


@pytest.mark.django_db
def test_a_signed_in_page_is_the_try_again_page_while_the_database_is_down(client):
    sign_in_verified(client, UserFactory(role=Role.LOCALITY_MANAGER))
    client.raise_request_exception = False
    with database_down():
        response = client.get("/")
    assert_page_503(response)


@pytest.mark.django_db
def test_a_public_form_post_is_the_try_again_page_while_the_database_is_down(
    client,
):
    client.raise_request_exception = False
    with database_down():
        response = client.post(
            "/sign-in/", {"username": "a@example.org", "password": "x"}
        )
    assert_page_503(response)


@pytest.mark.django_db
def test_healthz_keeps_its_own_answer_while_the_database_is_down(client):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_form_submission_succeeds_while_the_broker_is_down(requester):
    """The form is committed, its e-mails wait in the outbox for the sweeper."""
    client = api(requester)
    with mock.patch(
        "core.tasks.notifications_send.delay",
        side_effect=BrokerError("Error 111 connecting to redis: refused"),
    ) as delay:
        response = client.post(FORMS_API, payload(), format="json")
    assert response.status_code == 201, response.content[:300]
    assert delay.called
    assert FamilyConnectForm.objects.count() == 1
    assert Notification.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_whose_work_cannot_be_queued_answers_as_usual(client):
    """The job is saved with its queued lease, for the reaper to queue
    (tests/core/test_jobs_broker_down.py follows it to the end)."""
    sign_in_verified(client, UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None))
    client.raise_request_exception = False
    with mock.patch(
        "scorecard.tasks.scorecard_compute_task.delay",
        side_effect=BrokerError("Error 111 connecting to redis: refused"),
    ) as delay:
        response = client.post("/scorecard/run/", {"month": "2024-05"})
    (release,) = Release.objects.all()
    assert delay.called
    assert response.status_code == 302
    assert response["Location"] == f"/scorecard/runs/{release.pk}/"
    assert release.status == ReleaseStatus.RUNNING and release.lease_until is not None
