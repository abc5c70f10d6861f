"""A practitioner opens a child's record from the case, corrects it, records a
referral made elsewhere, and uploads a CSV of referrals, in Chromium."""

from __future__ import annotations

import pytest
from django.test import override_settings

from accounts.roles import Role
from casework.models import SocialCareReferral
from families.models import Person
from tests.e2e.conftest import SCREENSHOTS, axe_violations
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
def test_person_record_referral_and_upload(live_server, page, browser, tmp_path):
    case = CaseFactory()
    child = PersonFactory(family=case.family, given_name="Amir")
    PersonFactory(family=case.family, given_name="Sana")
    join_team(
        case,
        UserFactory(
            role=Role.REQUESTER,
            organisation=OrganisationFactory(name="Greenfield Primary"),
            full_name="Dee Safeguarding",
        ),
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in_with_browser(page, live_server.url, case.lead_practitioner.email)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Amir Khan", exact=True).click()
    assert page.get_by_test_id("person-name").inner_text() == "Amir Khan"
    assert "Dee Safeguarding" in page.get_by_test_id("involved-people").inner_text()
    cookies = page.context.cookies()
    assert axe_violations(browser, page.url, cookies) == []

    page.get_by_role("link", name="Change details").click()
    page.get_by_label("First name").fill("Amiir")
    page.get_by_role("button", name="Save").click()
    assert "First name: Amir → Amiir" in page.get_by_test_id("history").inner_text()

    page.get_by_text("Record a referral made outside early help").click()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Record the referral").click()
    assert "Made outside early help" in page.get_by_test_id("referrals").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "person-01-record.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []

    csv = tmp_path / "referrals.csv"
    csv.write_text(
        "person,referred_at,reason\n"
        f"{child.pk},2026-10-05T10:00:00+01:00,MASH\n"
        "999999,2026-10-05T10:00:00+01:00,\n"
    )
    page.goto(f"{live_server.url}/cases/social-care-referrals/upload/")
    page.get_by_label("Upload a CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Upload", exact=True).click()
    assert (
        "1 referral recorded" in page.get_by_test_id("referrals-created").inner_text()
    )
    assert (
        "No person with this id" in page.get_by_test_id("referrals-errors").inner_text()
    )
    page.screenshot(path=str(SCREENSHOTS / "person-02-upload.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []
    assert Person.objects.get(pk=child.pk).given_name == "Amiir"
    assert SocialCareReferral.objects.filter(person=child).count() == 2
