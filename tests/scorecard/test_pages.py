"""The scorecard dashboard, an indicator across scopes, the CSV and runs on
demand with progress; who may see them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from core.exports import csv_safe
from core.periods import Month
from scorecard.models import Release
from scorecard.services import scorecard_run
from tests.factories import FormFactory, UserFactory
from tests.helpers import sign_in_verified
from tests.scorecard.helpers import UTC, loc

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client):
    user = UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None)
    sign_in_verified(client, user)
    return user


def released():
    for month, n in ((4, 4), (5, 6)):
        for _ in range(n):
            FormFactory(
                received_at=dt.datetime(2024, month, 10, tzinfo=UTC),
                locality=loc("erdington"),
            )
        scorecard_run(period=Month(2024, month))


def test_the_dashboard_city_and_locality(client, lead):
    released()
    page = client.get("/scorecard/", {"month": "2024-05"}).content.decode()
    assert "Birmingham (city), May 2024" in page
    assert "Family Connect Forms received" in page and "Higher" in page
    assert "<svg" in page  # the trend
    # A breakdown row shows its published reference; its title names the part.
    assert 'ehc-ref">EH07</th>' in page and 'ehc-ref">EH07:' not in page
    assert "Reasons for connection: Domestic abuse" in page
    page = client.get(
        "/scorecard/", {"month": "2024-05", "locality": "ladywood"}
    ).content.decode()
    assert "Ladywood, May 2024" in page and "No change" in page
    detail = client.get("/scorecard/indicators/EH01/", {"month": "2024-05"})
    text = detail.content.decode()
    assert "Birmingham (city)" in text and "Erdington" in text and "Yardley" in text
    assert client.get("/scorecard/indicators/EH99/").status_code == 404


def test_the_dashboard_runs_a_constant_number_of_queries(
    client, lead, django_assert_max_num_queries
):
    released()
    with django_assert_max_num_queries(15):
        assert client.get("/scorecard/", {"month": "2024-05"}).status_code == 200


def test_the_csv_is_formula_safe(client, lead):
    assert csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_safe("-1") == "'-1" and csv_safe(-1.5) == -1.5
    assert csv_safe("Erdington") == "Erdington"
    released()
    response = client.get("/scorecard/export.csv", {"month": "2024-05"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "period,release,scope,ref,title,value,numerator,denominator,provisional"
    )
    assert any(line.startswith("2024-05,") and ",city,EH01," in line for line in lines)
    # A whole number without ".0".
    assert any(
        line.startswith("2024-05,")
        and ",city,EH01,Family Connect Forms received,6," in line
        for line in lines
    ), lines[:5]


def test_computing_on_demand_with_progress(
    client, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/scorecard/run/", {"month": "2024-05"})
    release = Release.objects.get()
    assert response["Location"] == f"/scorecard/runs/{release.pk}/"
    status = client.get(
        f"/scorecard/runs/{release.pk}/", HTTP_ACCEPT="application/json"
    ).json()
    assert status == {
        "release": release.pk,
        "period": "2024-05",
        "status": "done",
        "progress": 100,
    }
    assert release.requested_by == lead
    for bad in ("May", "2999-01"):
        client.post("/scorecard/run/", {"month": bad})
    assert Release.objects.count() == 1


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
def test_who_sees_the_scorecard(client, role, status):
    released()
    sign_in_verified(client, UserFactory(role=role, organisation=None))
    assert client.get("/scorecard/", {"month": "2024-05"}).status_code == status
    assert (
        client.get("/scorecard/export.csv", {"month": "2024-05"}).status_code == status
    )
    before = Release.objects.count()
    response = client.post("/scorecard/run/", {"month": "2024-05"})
    assert (response.status_code == 404) == (status == 404)
    if status == 404:
        assert Release.objects.count() == before


def test_lines_for_one_scope_are_the_same_as_for_every_scope():
    from scorecard.report import scorecard_lines

    released()
    ladywood, erdington = loc("ladywood").pk, loc("erdington").pk
    every = scorecard_lines(Month(2024, 5))
    for scope in (ladywood, erdington, None):
        one = scorecard_lines(Month(2024, 5), [scope])
        assert list(one) == [scope]
        assert one[scope] == every[scope]
    eh01 = {
        scope: next(x for x in every[scope] if x.indicator.ref == "EH01").current
        for scope in (ladywood, erdington, None)
    }
    assert eh01 == {ladywood: "0", erdington: "6", None: "6"}


def _options(page: str, select_id: str) -> list[tuple[str, bool]]:
    """(value, selected) of each option of the select ``select_id``."""
    import re

    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, f"no select #{select_id}"
    return [
        (value, bool(chosen))
        for value, chosen in re.findall(
            r'<option value="([^"]*)"( selected)?>', select.group(1)
        )
    ]


def test_months_are_chosen_from_a_list_newest_first_sent_as_yyyy_mm(client, lead):
    this_month = Month.of(timezone.localdate())
    page = client.get("/scorecard/").content.decode()
    options = _options(page, "month")
    assert [v for v, _ in options][:3] == [
        str(this_month),
        str(this_month.plus(-1)),
        str(this_month.plus(-2)),
    ]
    assert len(options) == 36
    # Last month is shown unless the address names another, which stays
    # chosen even before the list (addresses keep ?month=YYYY-MM).
    assert [v for v, chosen in options if chosen] == [str(this_month.plus(-1))]
    page = client.get("/scorecard/", {"month": "2019-03"}).content.decode()
    options = _options(page, "month")
    assert options[-1] == ("2019-03", True) and len(options) == 37
    assert "Scorecard: Birmingham, March 2019" in page
    figures = client.get("/scorecard/partner-figures/").content.decode()
    periods = _options(figures, "figure-period")
    assert periods[0] == (str(this_month), False)
    assert [v for v, chosen in periods if chosen] == [str(this_month.plus(-1))]
