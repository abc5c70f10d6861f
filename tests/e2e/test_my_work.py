"""My work, the team's work and the caseload in Chromium at desk and phone
widths: each item reached from the list, each page checked with axe."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.test import override_settings

from casework.models import CaseNote
from tests.casework.test_my_work import NOW, frozen, world  # noqa: F401 (fixtures)
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import FormFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(os.environ.get("MY_WORK_SCREENSHOT_DIR", "/tmp/ehc-screenshots"))
WIDTHS = (1280, 390)


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1100, "height": 900})


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_the_lead_reaches_each_item_and_the_manager_opens_their_list(
    live_server,
    page,
    browser,
    world,  # noqa: F811
):
    base = live_server.url
    for key, need in (("taylor", "additional"), ("patel", "complex_significant")):
        FormFactory(case=world[key], family=world[key].family, level_of_need=need)
    CaseNote.objects.create(
        case=world["patel"],
        kind="visit",
        happened_at=NOW - dt.timedelta(days=2),
        text="Home visit",
        author=world["lead"],
    )
    sign_in_with_browser(page, base, world["lead"].email)
    page.get_by_role("link", name="My work").first.click()
    assert page.get_by_role("heading", name="My work").is_visible()
    overdue = page.get_by_test_id("work-overdue")
    assert overdue.get_by_text("Book the dentist").is_visible()
    assert "Book the dentist" not in page.get_by_test_id("work-due").inner_text()
    shoot(page, "G-my-work")
    # Each item's link opens the place to act on it.
    targets = [
        (link.get_attribute("href"), link.inner_text())
        for link in page.locator("[data-kind] td:nth-child(3) a").all()
    ]
    assert len(targets) == 9
    for href, _text in targets:
        response = page.goto(f"{base}{href}")
        assert response is not None and response.status == 200, href
    page.goto(f"{base}/cases/?sort=family")
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Family")
    shoot(page, "G-caseload")
    page.goto(f"{base}/cases/dashboard/")
    shoot(page, "G-dashboard")

    page.context.clear_cookies()
    sign_in_with_browser(page, base, world["manager"].email)
    page.goto(f"{base}/cases/my-work/team/")
    shoot(page, "G-team-work")
    page.get_by_role("link", name=world["lead"].display_name).click()
    assert page.get_by_test_id("work-overdue").get_by_text("Book the dentist").count()
    shoot(page, "G-worker-work")
