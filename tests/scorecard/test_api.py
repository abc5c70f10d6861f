"""``GET /api/v1/scorecard/{YYYY-MM}/``: the latest release, city or locality,
with the direction of travel; the monthly beat job releases once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from core.periods import Month
from scorecard.models import Release
from scorecard.services import scorecard_run
from scorecard.tasks import scorecard_monthly
from tests.factories import FormFactory, UserFactory
from tests.scorecard.helpers import UTC, loc

pytestmark = pytest.mark.django_db


def client_for(role=Role.PERFORMANCE_LEAD):
    user = UserFactory(role=role, organisation=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


def forms(n, month, where="erdington"):
    for _ in range(n):
        FormFactory(
            received_at=dt.datetime(2024, month, 10, tzinfo=UTC), locality=loc(where)
        )


def test_the_latest_release_with_direction_of_travel():
    forms(10, 4)
    scorecard_run(period=Month(2024, 4))
    forms(20, 5)
    scorecard_run(period=Month(2024, 5))
    forms(1, 5)
    latest = scorecard_run(period=Month(2024, 5))
    client = client_for()
    body = client.get("/api/v1/scorecard/2024-05/").json()
    assert body["period"] == "2024-05" and body["locality"] is None
    assert body["release"] == latest.pk
    rows = {r["ref"]: r for r in body["indicators"]}
    assert rows["EH01"]["value"] == 21.0 and rows["EH01"]["dot"] == "higher"
    assert rows["EH01"]["numerator"] == 21.0 and rows["EH01"]["denominator"] is None
    assert set(rows["EH01"]) == {
        "ref",
        "title",
        "value",
        "numerator",
        "denominator",
        "dot",
        "provisional",
    }
    assert "EH07:domestic_abuse" in rows and "EH20c" in rows
    body = client.get("/api/v1/scorecard/2024-05/", {"locality": "ladywood"}).json()
    ladywood = {r["ref"]: r for r in body["indicators"]}
    assert ladywood["EH01"]["value"] == 0.0 and ladywood["EH01"]["dot"] == "no_change"
    assert ladywood["EH03"]["value"] is None
    assert ladywood["EH03"]["dot"] == "could_not_calculate"


@pytest.mark.parametrize(
    "path, params, status",
    [
        ("/api/v1/scorecard/2024-06/", {}, 404),  # nothing released yet
        ("/api/v1/scorecard/June/", {}, 400),
        ("/api/v1/scorecard/2024-05/", {"locality": "atlantis"}, 400),
    ],
)
def test_bad_requests(path, params, status):
    scorecard_run(period=Month(2024, 5))
    assert client_for().get(path, params).status_code == status


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.PERFORMANCE_LEAD, 200),
        (Role.LOCALITY_MANAGER, 200),
        (Role.PRACTITIONER, 404),
        (Role.AUDITOR, 404),
        (Role.REQUESTER, 404),
        (Role.ADMINISTRATOR, 404),
    ],
)
def test_who_reads_the_scorecard(role, status):
    scorecard_run(period=Month(2024, 5))
    assert client_for(role).get("/api/v1/scorecard/2024-05/").status_code == status


def test_the_beat_job_releases_last_month_once(monkeypatch):
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-scorecard"]
    assert entry["task"] == "scorecard.tasks.scorecard_monthly"
    assert entry["schedule"].day_of_month == {1} and entry["schedule"].hour == {2}
    monkeypatch.setattr(
        "scorecard.tasks.timezone.now",
        lambda: dt.datetime(2024, 6, 1, 1, 0, tzinfo=UTC),  # 02:00 BST
    )
    first = scorecard_monthly()
    assert scorecard_monthly() == first
    assert list(Release.objects.values_list("period", flat=True)) == ["2024-05"]
