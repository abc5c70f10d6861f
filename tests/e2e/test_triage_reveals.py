"""The triage decision's follow-ups in Chromium: with JavaScript each opens
under its decision when chosen and closes when another is; without it every
follow-up shows under its decision and an allocation still goes through."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from accounts.roles import Role
from casework.models import Case
from family_connect.models import FormDecision
from tests.e2e.conftest import SCREENSHOTS, axe_violations, watch_with_axe
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import UserFactory
from tests.triage.test_triage import submit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ALLOCATE = "Allocate to a lead practitioner"
SIGNPOST = "Signpost to a community service"
LEAD = "Lead practitioner (if allocating)"
SERVICE = "Community service (if signposting)"
LOCALITY = "Locality to transfer the form to (if transferring)"
ORIGINAL = "Reference of the original form (if it is a duplicate)"


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"triage-reveal-{name}.png"), full_page=True)


@pytest.fixture
def people():
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    worker = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Grace Okafor"
    )
    requester = UserFactory(role=Role.REQUESTER, organisation__kind="school")
    return manager, worker, submit(requester)


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_the_follow_ups_open_and_close_with_javascript(
    live_server, page, browser, people
):
    manager, _worker, form = people
    sign_in_with_browser(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/triage/forms/{form.reference}/")
    allocate = page.get_by_label(ALLOCATE)
    # Nothing chosen: every follow-up is closed.
    for label in (LEAD, SERVICE, LOCALITY, ORIGINAL):
        expect(page.get_by_label(label)).to_be_hidden()
    expect(allocate).to_have_attribute("aria-expanded", "false")
    expect(allocate).to_have_attribute("aria-controls", "conditional-id_outcome_0")

    allocate.check()
    expect(page.get_by_label(LEAD)).to_be_visible()
    expect(allocate).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label(SERVICE)).to_be_hidden()
    screenshot(page, "01-allocate-open")
    assert axe_violations(browser, page.url, page.context.cookies()) == []

    # Another decision closes it and opens its own.
    page.get_by_label(SIGNPOST).check()
    expect(page.get_by_label(LEAD)).to_be_hidden()
    expect(allocate).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_label(SERVICE)).to_be_visible()
    page.get_by_label("No further action").check()
    expect(page.get_by_label(SERVICE)).to_be_hidden()

    # An error on a follow-up opens its reveal again on the page that says so.
    page.get_by_label(SIGNPOST).check()
    page.get_by_label("Reason").fill("Food and money worries only.")
    page.get_by_role("button", name="Record the decision").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link")).to_have_text(["Select the community service"])
    expect(page.get_by_label(SIGNPOST)).to_be_checked()
    expect(page.get_by_label(SERVICE)).to_be_visible()
    expect(page.get_by_label(LEAD)).to_be_hidden()
    summary.get_by_role("link").click()
    expect(page.get_by_label(SERVICE)).to_be_focused()
    screenshot(page, "02-error-reopens")
    assert axe_violations(browser, page.url, page.context.cookies()) == []
    assert not FormDecision.objects.exists()


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_without_javascript_every_follow_up_shows_and_allocation_works(
    live_server, browser, people
):
    manager, worker, form = people
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1100, "height": 900}
    )
    page = context.new_page()
    failures = watch_with_axe(browser, page)
    try:
        sign_in_with_browser(page, live_server.url, manager.email)
        page.goto(f"{live_server.url}/triage/forms/{form.reference}/")
        for label in (LEAD, SERVICE, LOCALITY, ORIGINAL):
            expect(page.get_by_label(label)).to_be_visible()
        screenshot(page, "03-no-javascript")
        page.get_by_label(ALLOCATE).check()
        page.get_by_label(LEAD).select_option(str(worker.pk))
        page.get_by_label("Reason").fill("Several needs: a plan with school.")
        page.get_by_role("button", name="Record the decision").click()
        expect(page.get_by_text("Decision recorded")).to_be_visible()
        case = Case.objects.get()
        assert case.lead_practitioner == worker
        assert FormDecision.objects.get(form=form).outcome == "allocated"
    finally:
        context.close()
    assert failures == {}, f"axe on the pages this test visited: {failures}"
