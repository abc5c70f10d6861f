"""The front end in Chromium: static files arrive under hashed names and
compressed, pages compressed, nothing the pages ask for is missing, and on a
phone the page does not jump when GOV.UK Frontend's script folds the service
navigation behind its Menu button."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from accounts.roles import Role
from tests.e2e.conftest import watch_with_axe
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 412, "height": 823}
LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_a_phone_page_keeps_still_and_its_files_come_hashed_and_compressed(
    live_server, browser
):
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    failures = watch_with_axe(browser, page)
    answers: list = []
    page.on("response", lambda answer: answers.append(answer))
    sign_in_with_browser(page, live_server.url, manager.email)
    answers.clear()
    page.goto(f"{live_server.url}/triage/erdington/")
    page.wait_for_load_state("networkidle")

    # The navigation is folded behind Menu, and was from the first paint.
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible()
    assert not page.locator("#navigation").is_visible()
    menu.click()
    assert page.locator("#navigation").is_visible()

    assert [f"{a.status} {a.url}" for a in answers if a.status >= 400] == []
    document = next(a for a in answers if a.url.endswith("/triage/erdington/"))
    assert document.headers.get("content-encoding") == "gzip"
    static = [a for a in answers if "/static/" in a.url]
    names = {re.sub(r".*/static/", "", a.url) for a in static}
    assert {n.split("/")[0] for n in names} >= {"core", "govuk"}
    for answer in static:
        assert re.search(r"\.[0-9a-f]{12}\.[a-z0-9]+$", answer.url), answer.url
        assert "immutable" in answer.headers["cache-control"]
        if re.search(r"\.(css|m?js|svg)$", answer.url):
            assert answer.headers.get("content-encoding") in ("br", "gzip"), answer.url
    context.close()
    assert failures == {}


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_on_a_phone_the_menu_unfolds_if_govuk_frontends_script_never_starts(
    live_server, browser
):
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    sign_in_with_browser(page, live_server.url, manager.email)
    # The module that starts GOV.UK Frontend fails to load.
    page.route(
        re.compile(r".*/static/core/start\.[0-9a-f]+\.mjs$"), lambda r: r.abort()
    )
    page.goto(f"{live_server.url}/triage/erdington/")
    page.wait_for_load_state("load")
    navigation = page.locator("#navigation")
    navigation.wait_for(state="visible", timeout=5_000)
    assert navigation.get_by_role("link", name="Triage").is_visible()
    # No Menu button that would do nothing.
    assert not page.get_by_role("button", name="Menu").is_visible()
    context.close()
