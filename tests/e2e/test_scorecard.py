"""A performance lead reads the scorecard in Chromium, city then a locality,
and an indicator across the city; axe finds no serious problems."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from accounts.roles import Role
from core.periods import Month
from scorecard.services import scorecard_run
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import FormFactory, UserFactory
from tests.scorecard.helpers import UTC, loc

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_reading_the_scorecard(live_server, page, browser):
    for month, n in ((4, 3), (5, 5)):
        for i in range(n):
            FormFactory(
                received_at=dt.datetime(2024, month, 10, tzinfo=UTC),
                locality=loc("erdington" if i % 2 else "ladywood"),
            )
        scorecard_run(period=Month(2024, month))
    lead = UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in_with_browser(page, live_server.url, lead.email)
    page.get_by_role("link", name="The scorecard: city and localities").click()
    page.get_by_label("Month").select_option("2024-05")
    page.get_by_role("button", name="Show").click()
    assert "Birmingham (city), May 2024" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "scorecard-01-city.png"), full_page=True)
    cookies = page.context.cookies()
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_label("Locality").select_option("erdington")
    page.get_by_role("button", name="Show").click()
    assert "Erdington, May 2024" in page.content()
    page.get_by_role("link", name="Family Connect Forms received").click()
    assert "Ladywood" in page.content()
    page.screenshot(
        path=str(SCREENSHOTS / "scorecard-02-indicator.png"), full_page=True
    )
    assert axe_violations(browser, page.url, cookies) == []
