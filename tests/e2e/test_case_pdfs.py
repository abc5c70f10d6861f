"""The case's PDFs in Chromium: the lead asks for the case summary from the
case page and Our Family Plan from the plan page, follows each job to its
ready page and downloads it; a partner on the team asks for the plan from
their view of the case. axe finds no serious or critical problems."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from accounts.roles import Role
from casework.models import PlanAction, PlanOutcome
from tests.e2e.conftest import SCREENSHOTS
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


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_the_lead_and_a_partner_download_the_case_pdfs(live_server, page, browser):
    case = CaseFactory(status="plan")
    PersonFactory(family=case.family, given_name="Kai", family_name="Taylor")
    partner = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(name="Short Heath")
    )
    join_team(case, partner)
    outcome = PlanOutcome.objects.create(
        case=case,
        text="Kai gets to school on time",
        domain="relationships",
        created_by=case.lead_practitioner,
    )
    PlanAction.objects.create(
        case=case,
        outcome=outcome,
        what="Breakfast club place",
        owner=partner,
        due_on=dt.date(2026, 12, 18),
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url

    sign_in_with_browser(page, base, case.lead_practitioner.email)
    page.goto(f"{base}/cases/{case.pk}/")
    page.screenshot(path=str(SCREENSHOTS / "case-pdfs-01-case.png"), full_page=True)
    # A job: its page is ready at once or after its progress check reloads it.
    page.get_by_role("button", name="Download the case summary (PDF)").click()
    page.get_by_text("The PDF is ready").wait_for(timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / "case-pdfs-02-ready.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    assert download.value.suggested_filename == f"case-summary-case-{case.pk}.pdf"

    page.goto(f"{base}/cases/{case.pk}/plan/")
    page.get_by_role("button", name="Download Our Family Plan (PDF)").click()
    page.get_by_text("The PDF is ready").wait_for(timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    assert download.value.suggested_filename == f"our-family-plan-case-{case.pk}.pdf"

    page.context.clear_cookies()
    sign_in_with_browser(page, base, partner.email)
    page.goto(f"{base}/cases/{case.pk}/")
    assert (
        page.get_by_role("button", name="Download the case summary (PDF)").count() == 0
    )
    page.get_by_role("button", name="Download Our Family Plan (PDF)").click()
    page.get_by_text("The PDF is ready").wait_for(timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / "case-pdfs-03-partner.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    assert download.value.suggested_filename == f"our-family-plan-case-{case.pk}.pdf"
