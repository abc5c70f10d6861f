"""Completing an empty assessment in Chromium at 1280 px: the error summary
lists every gap, each link takes the practitioner to its field."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from casework.models import WheelDomain
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import CaseFactory, PersonFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_completing_an_empty_assessment_lists_every_gap(live_server, browser):
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Ayesha", role="child")
    PersonFactory(
        family=case.family,
        role="adult",
        given_name="Sara",
        relationship="mother",
        date_of_birth=dt.date(1988, 1, 19),
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_with_browser(page, live_server.url, case.lead_practitioner.email)
    page.goto(f"{live_server.url}/cases/{case.pk}/assessment/")
    page.get_by_label("What we are worried about").fill("Money and sleep.")
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    # Two questions, the scaling, every part of the wheel and both people.
    expect(links).to_have_count(2 + 1 + len(WheelDomain) + 2)
    expect(links.first).to_have_text("Enter what is working well")
    expect(summary).to_contain_text("Select an overall score for Ayesha (1 to 10)")
    # What was typed is kept.
    expect(page.get_by_label("What we are worried about")).to_have_value(
        "Money and sleep."
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / "assessment-every-gap-1280.png"), full_page=True
    )
    summary.get_by_role("link", name="Select the family's scaling score").click()
    expect(page.locator("#id_scaling")).to_be_focused()
    context.close()
