"""The service navigation and the case page in Chromium, on a desk and on a
phone: a manager moves around by the navigation and opens a case by its
family's name; a partner on the team sees the children and the lead's contact."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from accounts.roles import Role
from tests.e2e.conftest import SCREENSHOTS, watch_with_axe
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    join_team,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def taylor_case():
    lead = UserFactory(
        role=Role.PRACTITIONER,
        localities=["erdington"],
        full_name="Grace Okafor",
        phone="0121 496 0000",
        organisation=OrganisationFactory(name="Erdington Early Help"),
    )
    case = CaseFactory(lead_practitioner=lead, status="plan")
    PersonFactory(
        family=case.family,
        role="adult",
        relationship="mother",
        given_name="Jo",
        family_name="Taylor",
        date_of_birth=None,
    )
    PersonFactory(family=case.family, given_name="Mia", family_name="Taylor")
    PersonFactory(family=case.family, given_name="Leo", family_name="Taylor")
    return case


@override_settings(TWO_FACTOR_REQUIRED=False)
@pytest.mark.parametrize("width", [1280, 390])
def test_a_manager_and_a_partner_move_around_and_open_the_case(
    live_server, browser, width
):
    case = taylor_case()
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    partner = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(name="Oakfield Primary")
    )
    join_team(case, partner)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    failures: dict[str, list[str]] = {}

    for who, user in (("manager", manager), ("partner", partner)):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        seen = watch_with_axe(browser, page)
        sign_in_with_browser(page, base, user.email)
        nav = page.get_by_test_id("service-navigation")
        if width < 641:
            # On a phone the places fold behind GOV.UK Frontend's menu button.
            menu = nav.get_by_role("button", name="Menu")
            expect(menu).to_be_visible()
            expect(nav.get_by_role("link", name="Cases", exact=True)).to_be_hidden()
            page.screenshot(path=str(SCREENSHOTS / f"E-menu-{who}-{width}.png"))
            menu.click()
        nav.get_by_role("link", name="Cases", exact=True).click()
        current = nav.locator('[aria-current="page"]')
        assert current.inner_text() == "Cases"
        page.goto(f"{base}/cases/{case.pk}/")
        assert page.get_by_test_id("case-heading").inner_text() == "Taylor family"
        assert page.title().startswith(f"Taylor family (case {case.pk})")
        if who == "manager":
            assert "B23 6TJ" in page.content()
            page.screenshot(
                path=str(SCREENSHOTS / f"E-case-manager-{width}.png"), full_page=True
            )
            page.get_by_role("link", name="Our Family Plan").click()
            crumbs = page.get_by_test_id("breadcrumbs")
            assert crumbs.get_by_role("link", name="Taylor family").is_visible()
            page.screenshot(
                path=str(SCREENSHOTS / f"E-plan-manager-{width}.png"), full_page=True
            )
            crumbs.get_by_role("link", name="Taylor family").click()
            assert page.url == f"{base}/cases/{case.pk}/"
        else:
            children = page.get_by_test_id("children").inner_text()
            assert "Mia Taylor" in children and "Leo Taylor" in children
            contact = page.get_by_test_id("lead-contact").inner_text()
            assert "Grace Okafor" in contact and "0121 496 0000" in contact
            assert case.lead_practitioner.email in contact
            assert "B23 6TJ" not in page.content()
            assert "Jo Taylor" not in page.content()
            page.screenshot(
                path=str(SCREENSHOTS / f"E-case-partner-{width}.png"), full_page=True
            )
        context.close()
        failures.update(seen)
    assert failures == {}, f"axe on the pages visited: {failures}"
