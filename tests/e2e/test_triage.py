"""A locality manager triages and allocates in Chromium."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from casework.models import Case
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import FormFactory, UserFactory
from tests.triage.test_triage import submit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_a_manager_allocates_from_the_queue(live_server, page, browser):
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    worker = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Grace Okafor"
    )
    requester = UserFactory(role=Role.REQUESTER, organisation__kind="school")
    FormFactory(received_at=timezone.now() - timedelta(days=8))
    FormFactory(
        received_at=timezone.now() - timedelta(days=4), safeguarding_concern=True
    )
    form = submit(requester)

    sign_in_with_browser(page, live_server.url, manager.email)
    page.get_by_role("button", name="Open the triage queue").click()
    assert page.title().startswith("Erdington triage queue")
    assert page.get_by_test_id("count-breached").inner_text() == "1"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "triage-01-queue.png"), full_page=True)
    cookies = page.context.cookies()
    assert axe_violations(browser, page.url, cookies) == []

    page.get_by_role("link", name=form.reference).click()
    page.get_by_text("Ayesha Khan").first.wait_for()
    page.get_by_label("Allocate to a lead practitioner").check()
    page.get_by_label("Lead practitioner (if allocating)").select_option(str(worker.pk))
    page.get_by_label("Reason").fill("Several needs: a plan with school and health.")
    page.screenshot(path=str(SCREENSHOTS / "triage-02-form.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decision recorded").first.wait_for()
    case = Case.objects.get()
    assert case.lead_practitioner == worker

    page.goto(f"{live_server.url}/triage/erdington/team/")
    assert "Grace Okafor" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "triage-03-team.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []
