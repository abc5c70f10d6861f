"""A family moves from Ladywood to Erdington: the Erdington manager links the
new form to the family we know in one step with a reason, allocates it, and the
data protection officer finds the link on the anomaly page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from accounts.roles import Role
from casework.models import Case
from families.models import Family
from family_connect.models import CrossLocalityLink
from localities.models import Locality
from tests.e2e.conftest import SCREENSHOTS, watch_with_axe
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.triage.test_triage import submit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "The family moved here from Ladywood in October; the school confirmed it."


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"cross-locality-{name}.png"), full_page=True
    )


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_a_family_that_moved_is_linked_with_a_reason_and_reviewed(
    live_server, page, browser
):
    ladywood = Locality.objects.get(slug="ladywood")
    erdington = Locality.objects.get(slug="erdington")
    taylors = FamilyFactory(
        postcode="B16 8QG", address_line="4 Ladywood Walk", locality=ladywood
    )
    PersonFactory(
        family=taylors,
        given_name="Ayesha",
        family_name="Khan",
        date_of_birth=dt.date(2014, 5, 2),
    )
    CaseFactory(
        family=taylors,
        locality=ladywood,
        status="closed",
        lead_practitioner=UserFactory(role=Role.PRACTITIONER, localities=["ladywood"]),
    )
    manager = UserFactory(
        role=Role.LOCALITY_MANAGER, localities=["erdington"], full_name="Priya Shah"
    )
    worker = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Grace Okafor"
    )
    requester = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    form = submit(requester)  # Ayesha Khan, now at B23 6TJ in Erdington

    sign_in_with_browser(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/triage/forms/{form.reference}/")
    household = (
        page.get_by_test_id("candidates")
        .get_by_role("row")
        .filter(has_text="A household")
    )
    expect(household).to_contain_text("Ladywood")
    expect(household).to_contain_text("Another locality")
    assert "B16 8QG" not in page.content() and "Ladywood Walk" not in page.content()
    expect(page.get_by_test_id("candidates")).to_contain_text("Ayesha Khan, born 2014")
    screenshot(page, "01-form")

    # No reason: refused, nothing linked.
    household.locator("summary").click()
    household.get_by_role("button", name="Confirm the link").click()
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "The household lives in another locality. Enter why you are linking this "
        "form to it"
    )
    assert not CrossLocalityLink.objects.exists()
    screenshot(page, "02-no-reason")

    household = (
        page.get_by_test_id("candidates")
        .get_by_role("row")
        .filter(has_text="A household")
    )
    household.locator("summary").click()
    household.get_by_label(
        "Why are you linking this form to a family known in another locality?"
    ).fill(REASON)
    household.get_by_role("button", name="Confirm the link").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Match confirmed: this form is linked to the household in Ladywood."
    )
    # Ayesha is the Ayesha we know: no second reason for her household.
    page.get_by_test_id("candidates").get_by_role("row").filter(
        has_text="Ayesha Khan ↔"
    ).get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert")).to_contain_text("Match confirmed: Ayesha Khan")
    screenshot(page, "03-linked")

    page.get_by_label("Allocate to a lead practitioner").check()
    page.get_by_label("Lead practitioner (if allocating)").select_option(str(worker.pk))
    page.get_by_label("Reason").fill("Grace has space in her caseload.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("allocated to Grace Okafor")
    case = Case.objects.get(locality=erdington)
    assert case.family_id == taylors.pk
    taylors = Family.objects.get(pk=taylors.pk)
    assert (taylors.postcode, taylors.locality_id) == ("B23 6TJ", erdington.pk)

    # The data protection officer reviews the month's links.
    dpo = UserFactory(role=Role.DATA_PROTECTION, organisation=None)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    dpo_page = context.new_page()
    failures = watch_with_axe(browser, dpo_page)
    sign_in_with_browser(dpo_page, live_server.url, dpo.email)
    dpo_page.get_by_role(
        "link", name="Anomalies: forms linked to families of another locality"
    ).click()
    links = dpo_page.get_by_test_id("cross-locality-links")
    expect(links).to_contain_text(form.reference)
    expect(links).to_contain_text("Priya Shah")
    expect(links).to_contain_text(REASON)
    expect(links).to_contain_text("1 link this month")
    expect(links).to_contain_text("Ladywood")
    screenshot(dpo_page, "04-anomalies")
    context.close()
    assert failures == {}, f"axe on the data protection officer's pages: {failures}"
