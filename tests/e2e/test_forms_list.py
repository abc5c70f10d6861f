"""The forms list in Chromium at desk and phone widths: a school's DSL finds a
form by a child's name and filters by status, with JavaScript on and off;
each page checked with axe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.family_connect.test_forms_list import world  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(os.environ.get("FORMS_LIST_SCREENSHOT_DIR", "/tmp/ehc-screenshots"))
WIDTHS = (1280, 390)


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1100, "height": 900})


def rows(page) -> list[str]:
    return [
        row.inner_text().split("\t")[0].strip()
        for row in page.locator("tbody tr").all()
    ]


def test_a_dsl_searches_and_filters_the_forms_list(
    live_server,
    page,
    browser,
    world,  # noqa: F811
):
    base = live_server.url
    sign_in_with_browser(page, base, world["dsl"].email)
    page.goto(f"{base}/family-connect/forms/")
    assert rows(page) == [
        "FC-AAAA-1111",
        "FC-BBBB-2222",
        "FC-CCCC-3333",
        "FC-DDDD-4444",
    ]
    colleague_row = page.locator("tbody tr").nth(3)
    assert "A. T." in colleague_row.inner_text()
    assert "Ladywood" in colleague_row.inner_text()
    shoot(page, "C-forms-list")

    page.get_by_label("Name, postcode or reference").fill("ayesha khan")
    page.get_by_label("Status").select_option(label="Waiting for a decision")
    page.get_by_role("button", name="Apply filters").click()
    assert rows(page) == ["FC-AAAA-1111"]
    assert "status=submitted" in page.url
    shoot(page, "C-forms-list-filtered")

    page.get_by_label("Name, postcode or reference").fill("amira")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_test_id("no-match").is_visible()
    shoot(page, "C-forms-list-no-match")
    page.get_by_test_id("clear-filters").click()
    assert len(rows(page)) == 4

    page.goto(f"{base}/family-connect/forms/?status=lost&q=zoe")
    assert page.get_by_text("Choose a status from the list").first.is_visible()
    assert rows(page) == ["FC-BBBB-2222"]
    shoot(page, "C-forms-list-error")


def test_the_filters_work_without_javascript(
    live_server,
    browser,
    world,  # noqa: F811
):
    base = live_server.url
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in_with_browser(page, base, world["dsl"].email)
    page.goto(f"{base}/family-connect/forms/")
    page.get_by_label("Name, postcode or reference").fill("b28 9aa")
    page.get_by_label("Locality").select_option(label="Hall Green")
    page.get_by_role("button", name="Apply filters").click()
    assert rows(page) == ["FC-BBBB-2222"]
    context.close()
