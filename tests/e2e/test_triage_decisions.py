"""A locality manager triages in Chromium: confirms a match, allocates, transfers
one form and signposts another, then finds the queue empty."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from accounts.roles import Role
from casework.models import Case
from families.models import Person
from family_connect.models import (
    FamilyConnectForm,
    FormDecision,
    FormTransfer,
    MatchCandidate,
)
from localities.models import CommunityService, Locality
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import (
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


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"triage-decisions-{name}.png"), full_page=True
    )


def another_family(requester, postcode, given_name, family_name, dob):
    """A form about a household nobody knows yet (no match candidates)."""
    return submit(
        requester,
        household__postcode=postcode,
        household__members__0__given_name=given_name,
        household__members__0__family_name=family_name,
        household__members__0__date_of_birth=dob,
        household__members__1__family_name=family_name,
        household__members__1__date_of_birth="1985-03-07",
    )


def candidate_row(page, text):
    return page.get_by_test_id("candidates").get_by_role("row").filter(has_text=text)


def open_form(page, reference):
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_a_manager_confirms_allocates_transfers_and_signposts(
    live_server, page, browser, real_celery_worker
):
    erdington = Locality.objects.get(slug="erdington")
    manager = UserFactory(
        role=Role.LOCALITY_MANAGER, localities=["erdington"], full_name="Priya Shah"
    )
    worker = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Grace Okafor"
    )
    requester = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    known = FamilyFactory(postcode="B23 6TJ", locality=erdington)
    ayesha = PersonFactory(family=known)
    food_bank = CommunityService.objects.create(
        locality=erdington,
        name="Erdington Community Food Bank",
        category="Food",
        contact="0121 000 0000",
    )
    matched = submit(requester)  # Ayesha Khan at B23 6TJ: the family we know
    moving = another_family(requester, "B24 9QR", "Leo", "Brennan", "2016-09-12")
    signposted = another_family(requester, "B44 0AA", "Maya", "Ortiz", "2012-02-20")
    assert MatchCandidate.objects.filter(form=matched, family=known).exists()
    assert not MatchCandidate.objects.filter(form__in=[moving, signposted]).exists()

    # The queue: three forms waiting.
    sign_in_with_browser(page, live_server.url, manager.email)
    expect(page.get_by_test_id("home-heading")).to_have_text("Locality manager")
    cookies = page.context.cookies()
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_role("button", name="Open the triage queue").click()
    expect(page).to_have_title(re.compile(r"^Erdington triage queue"))
    expect(page.get_by_role("heading", name="Waiting: 3")).to_be_visible()
    expect(page.get_by_test_id("queue").get_by_role("row")).to_have_count(4)
    screenshot(page, "01-queue")
    assert axe_violations(browser, page.url, cookies) == []

    # 1. Confirm the household match, then allocate to Grace.
    open_form(page, matched.reference)
    household = candidate_row(page, "A household")
    # Until it is confirmed, a household shows its locality, not its address.
    assert "Erdington" in household.inner_text()
    assert "B23 6TJ" not in household.inner_text()
    assert "Proposed" in household.inner_text()
    screenshot(page, "02-form-with-match")
    assert axe_violations(browser, page.url, cookies) == []
    household.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Match confirmed: this form is linked to the household in Erdington."
    )
    expect(candidate_row(page, "A household at B23 6TJ")).to_contain_text("Confirmed")
    matched.refresh_from_db()
    assert matched.family == known
    # Ayesha on the form is the Ayesha we know: confirm her too.
    candidate_row(page, "Ayesha Khan ↔").get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Match confirmed: Ayesha Khan on this form is the Ayesha Khan we know "
        "(born 2014)."
    )
    assert matched.members.get(given_name="Ayesha").person == ayesha
    screenshot(page, "03-matches-confirmed")
    assert axe_violations(browser, page.url, cookies) == []

    page.get_by_label("Allocate to a lead practitioner").check()
    page.get_by_label("Lead practitioner (if allocating)").select_option(str(worker.pk))
    page.get_by_label("Reason").fill("Known family; Grace worked with them before.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Decision recorded for {matched.reference}: allocated to Grace Okafor."
    )
    case = Case.objects.get()
    assert case.family == known and case.lead_practitioner == worker
    matched.refresh_from_db()
    assert matched.status == "allocated" and matched.case == case
    decision = FormDecision.objects.get(form=matched)
    assert decision.decided_by == manager and decision.lead_practitioner == worker
    # Nobody new was created for Ayesha; Sara, not known before, joins the family.
    assert Person.objects.filter(given_name="Ayesha").get() == ayesha
    assert set(known.people.values_list("given_name", flat=True)) == {"Ayesha", "Sara"}
    expect(page.get_by_role("heading", name="Waiting: 2")).to_be_visible()
    assert axe_violations(browser, page.url, cookies) == []

    # 2. Transfer a form to Ladywood: first forgetting the reason.
    open_form(page, moving.reference)
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_label("Transfer to another locality").check()
    page.get_by_label(
        "Locality to transfer the form to (if transferring)"
    ).select_option("ladywood")
    page.get_by_role("button", name="Record the decision").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter the reason for the decision"]
    )
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    # What the manager chose is kept; the message sits by the empty field.
    expect(page.get_by_label("Transfer to another locality")).to_be_checked()
    expect(
        page.get_by_label("Locality to transfer the form to (if transferring)")
    ).to_have_value("ladywood")
    expect(page.locator("#id_reason-error")).to_contain_text(
        "Enter the reason for the decision"
    )
    screenshot(page, "04-reason-missing")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Reason")).to_be_focused()
    moving.refresh_from_db()
    assert moving.locality == erdington and moving.status == "submitted"
    assert not FormTransfer.objects.exists()
    page.get_by_label("Reason").fill("The family moved to Ladywood last week.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"{moving.reference} transferred to Ladywood: it is no longer in this queue."
    )
    expect(page.get_by_role("link", name=moving.reference)).to_have_count(0)
    expect(page.get_by_role("heading", name="Waiting: 1")).to_be_visible()
    screenshot(page, "05-transferred")
    assert axe_violations(browser, page.url, cookies) == []
    transfer = FormTransfer.objects.get(form=moving)
    assert (transfer.from_locality, transfer.to_locality.slug) == (
        erdington,
        "ladywood",
    )
    assert transfer.by == manager and "moved to Ladywood" in transfer.reason
    moving.refresh_from_db()
    assert moving.locality.slug == "ladywood" and moving.status == "submitted"

    # 3. Signpost the last form to the food bank.
    open_form(page, signposted.reference)
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_label("Signpost to a community service").check()
    page.get_by_label("Community service (if signposting)").select_option(
        label="Erdington Community Food Bank"
    )
    page.get_by_label("Reason").fill("Food and money worries only; no other needs.")
    screenshot(page, "06-signpost")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Decision recorded for {signposted.reference}: signposted to Erdington "
        "Community Food Bank."
    )
    signposted.refresh_from_db()
    assert signposted.status == "signposted"
    decision = FormDecision.objects.get(form=signposted)
    assert decision.outcome == "signposted" and decision.community_service == food_bank

    # 4. The queue is empty.
    expect(page.get_by_role("heading", name="Waiting: 0")).to_be_visible()
    for band in ("green", "amber", "red", "breached"):
        expect(page.get_by_test_id(f"count-{band}")).to_have_text("0")
    expect(page.get_by_test_id("queue")).to_have_count(0)
    expect(page.get_by_test_id("queue-empty")).to_have_text(
        "No forms are waiting for a decision in Erdington. "
        "New forms appear here as soon as they are received."
    )
    # Nothing to filter, and no "Other queues:" label with nothing after it.
    expect(page.get_by_text("Filter the queue")).to_have_count(0)
    expect(page.get_by_text("Other queues")).to_have_count(0)
    screenshot(page, "07-queue-empty")
    assert axe_violations(browser, page.url, cookies) == []

    # The e-mails queued by the decisions went through the real worker: Grace
    # hears of her new family, the school of the signposting.
    keys = [
        f"allocated:{matched.reference}:{worker.pk}",
        f"decision:{signposted.reference}:signposted",
    ]
    assert len(real_celery_worker.wait_for_sent(key__in=keys)) == 2
    assert FamilyConnectForm.objects.filter(status="submitted").get() == moving
