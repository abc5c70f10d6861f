"""Consent in Chromium at desk and phone widths: the lead records a parent's
consent for a child and its withdrawal from the case page; the partner on the
team loses the case at once; a manager keeps their access with a reason. Each
page is checked with axe."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from casework.models import ConsentOverride, ConsentWithdrawal, PersonConsent
from core.periods import local_date
from tests.e2e.conftest import watch_with_axe
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    join_team,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(os.environ.get("CONSENT_SCREENSHOT_DIR", "/tmp/ehc-screenshots"))
WIDTHS = (1280, 390)


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1100, "height": 900})


def fill_date(page, when: dt.date) -> None:
    page.get_by_label("Day").fill(str(when.day))
    page.get_by_label("Month").fill(str(when.month))
    page.get_by_label("Year").fill(str(when.year))


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_consent_is_recorded_withdrawn_and_overridden(live_server, page, browser):
    base = live_server.url
    today = local_date(timezone.now())
    family = FamilyFactory()
    PersonFactory(
        family=family,
        given_name="Amir",
        family_name="Khan",
        date_of_birth=dt.date(today.year - 7, 3, 1),
    )
    PersonFactory(
        family=family,
        role="adult",
        given_name="Sara",
        family_name="Khan",
        relationship="mother",
        date_of_birth=dt.date(today.year - 36, 3, 1),
    )
    lead = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Sam Lead"
    )
    manager = UserFactory(
        role=Role.LOCALITY_MANAGER, localities=["erdington"], full_name="Mo Manager"
    )
    case = CaseFactory(family=family, lead_practitioner=lead)
    partner = UserFactory(
        role=Role.REQUESTER,
        organisation=OrganisationFactory(name="Erdington Primary"),
        full_name="Pat Partner",
    )
    join_team(case, partner)

    sign_in_with_browser(page, base, lead.email)
    page.goto(f"{base}/cases/{case.pk}/#consent")
    page.get_by_role("link", name="Record consent for Amir Khan").click()
    assert page.get_by_role("heading", name="Record consent").is_visible()
    # The child himself cannot consent: every problem is listed at once.
    page.get_by_label("Sharing information with named agencies").check()
    page.get_by_role("radio", name="The person themself").check()
    page.get_by_role("button", name="Record consent").click()
    summary = page.locator(".govuk-error-summary")
    assert "Amir Khan is under 13" in summary.inner_text()
    assert "Enter the agencies information may be shared with" in summary.inner_text()
    assert "Enter the date consent was given" in summary.inner_text()
    shoot(page, "M-consent-errors")
    page.get_by_label("The request for early help").check()
    page.get_by_label("Which agencies may information be shared with?").fill(
        "Erdington Primary, health visiting"
    )
    page.get_by_role("radio", name="A parent or carer").check()
    page.get_by_role("textbox", name="Name of the parent or carer").fill(
        "Sara Khan (mother)"
    )
    fill_date(page, today - dt.timedelta(days=2))
    page.get_by_role("button", name="Record consent").click()
    assert page.get_by_text("Consent recorded.").is_visible()
    assert PersonConsent.objects.filter(case=case).count() == 2
    page.get_by_test_id("consent").scroll_into_view_if_needed()
    shoot(page, "M-case-consent")

    # The partner sees the case, until the family withdraws sharing.
    partner_context = browser.new_context(viewport={"width": 1100, "height": 900})
    partner_page = partner_context.new_page()
    partner_failures = watch_with_axe(browser, partner_page)
    sign_in_with_browser(partner_page, base, partner.email)
    assert partner_page.goto(f"{base}/cases/{case.pk}/").status == 200

    page.get_by_role(
        "link",
        name="Record withdrawal of sharing information with named agencies for "
        "Amir Khan",
    ).click()
    assert page.get_by_role(
        "heading", name="Record a withdrawal of consent"
    ).is_visible()
    page.get_by_role("button", name="Record the withdrawal").click()
    summary = page.locator(".govuk-error-summary")
    assert "Select who withdrew consent" in summary.inner_text()
    assert "Enter the date consent was withdrawn" in summary.inner_text()
    shoot(page, "M-withdraw-errors")
    page.get_by_role("radio", name="A parent or carer").check()
    page.get_by_role("textbox", name="Name of the parent or carer").fill(
        "Sara Khan (mother)"
    )
    fill_date(page, today)
    page.get_by_label("What they said").fill("She does not want the school told.")
    shoot(page, "M-withdraw-filled")
    page.get_by_role("button", name="Record the withdrawal").click()
    assert page.get_by_text(
        "Partners on the team no longer see this case."
    ).is_visible()
    assert page.get_by_test_id("sharing-withdrawn").is_visible()
    assert ConsentWithdrawal.objects.filter(consent__case=case).count() == 1
    page.get_by_test_id("consent").scroll_into_view_if_needed()
    shoot(page, "M-case-withdrawn")
    assert partner_page.goto(f"{base}/cases/{case.pk}/").status == 404

    # A manager keeps the partner's access, with a reason.
    page.context.clear_cookies()
    sign_in_with_browser(page, base, manager.email)
    page.goto(f"{base}/cases/{case.pk}/#consent")
    page.get_by_test_id("override-link").click()
    assert page.get_by_role(
        "heading", name="Keep partners' access despite a withdrawal"
    ).is_visible()
    page.get_by_label("Why must partners keep access?").fill(
        "A child protection enquiry is open: the school must stay in the plan."
    )
    shoot(page, "M-override")
    page.get_by_role("button", name="Keep partners' access").click()
    assert page.get_by_text("Partners on the team see this case again.").is_visible()
    assert ConsentOverride.objects.filter(withdrawal__consent__case=case).exists()
    assert partner_page.goto(f"{base}/cases/{case.pk}/").status == 200
    partner_context.close()
    assert partner_failures == {}

    # The data protection officer reviews it.
    officer = UserFactory(role=Role.DATA_PROTECTION, organisation=None)
    page.context.clear_cookies()
    sign_in_with_browser(page, base, officer.email)
    page.goto(f"{base}/privacy/anomalies/")
    overrides = page.get_by_test_id("consent-overrides")
    assert "the school must stay in the plan" in overrides.inner_text()
    overrides.scroll_into_view_if_needed()
    shoot(page, "M-anomalies")
