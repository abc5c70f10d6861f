"""Browser tests: Playwright driving Debian's Chromium against the live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made
# by the test itself (factories) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/ehc-screenshots"))


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, but with the static files served as in
    production: by WhiteNoise from the collected files (hashed names, compressed
    copies), not by Django's handler, which finds only the source files."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost",
        start=False,
    )
    server.thread.static_handler = _no_static_handler
    server.start()
    yield server
    server.stop()


def _no_static_handler(application):
    return application


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from django.db import connections

    # Playwright's sync API runs an event loop in this thread, and Django's
    # connections are context-local: inside it, a test gets a fresh connection
    # object without the serialized reference data that a test with
    # ``serialized_rollback`` restores from (its database would stay empty, and
    # the flush after it would recreate content types under new ids). Carry the
    # serialized data over to the connection the tests will use.
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A desk-sized page whose every address is checked with axe as it loads."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    failures = watch_with_axe(browser, page)
    yield page
    context.close()
    assert failures == {}, f"axe on the pages this test visited: {failures}"


def watch_with_axe(browser, page) -> dict[str, list[str]]:
    """Check each address the page loads with axe, the first time it loads it
    (opened again as the same user in a context where axe can be injected), so
    no page a journey passes through goes unchecked. Returns the failures so
    far, by address; the caller asserts it is empty at the end."""
    failures: dict[str, list[str]] = {}
    seen: set[str] = set()

    def check(loaded) -> None:
        url = loaded.url.split("#")[0]
        if url.startswith("http") and url not in seen:
            seen.add(url)
            found = axe_violations(browser, url, page.context.cookies())
            if found:
                failures[url] = [v["id"] for v in found]

    page.on("load", check)
    return failures


# axe-core's impacts that fail a page: every one but "minor" (moderate findings
# include content outside landmarks, the ``region`` rule).
AXE_IMPACTS = ("moderate", "serious", "critical")


def axe_violations(browser, url: str, cookies: list) -> list[dict]:
    """Moderate, serious and critical axe-core violations of a page. The page is
    opened in a context that bypasses CSP only so that axe itself can be injected."""
    context = browser.new_context(bypass_csp=True)
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    context.close()
    return failing(result["violations"])


def failing(violations: list[dict]) -> list[dict]:
    """The violations of an axe-core result that fail a page."""
    found = []
    for violation in violations:
        if violation["impact"] not in AXE_IMPACTS:
            continue
        if violation["id"] == "aria-allowed-attr":
            nodes = [n for n in violation["nodes"] if not _conditional_reveal(n)]
            if not nodes:
                continue
            violation = {**violation, "nodes": nodes}
        found.append(violation)
    return found


def _conditional_reveal(node: dict) -> bool:
    """A GOV.UK radio or checkbox that opens a conditional reveal, flagged only
    for the ``aria-expanded`` GOV.UK Frontend sets on it. The Design System
    keeps it on purpose, as screen readers announce it (a known issue it
    documents: alphagov/govuk-frontend#979); every other attribute, and every
    other element, is still checked."""
    html = node.get("html", "")
    if not (
        ("govuk-radios__input" in html or "govuk-checkboxes__input" in html)
        and 'aria-controls="conditional-' in html
    ):
        return False
    flagged = [
        str(item)
        for check in (*node.get("any", []), *node.get("all", []), *node.get("none", []))
        for item in (check.get("data") or [])
    ]
    return bool(flagged) and all(f.startswith("aria-expanded=") for f in flagged)
