"""Documents on a case in Chromium: the lead adds a signed consent shared with
the team and a report kept to early help, after the form has listed every
problem; downloads one; the partner on the team sees only the shared one.
Each page is checked with axe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import override_settings

from accounts.roles import Role
from casework.models import CaseDocument
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

SHOTS = Path(os.environ.get("DOCUMENTS_SCREENSHOT_DIR", "/tmp/ehc-screenshots"))
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1100, "height": 900})


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_the_lead_adds_documents_and_the_partner_sees_the_shared_one(
    live_server, page, browser
):
    base = live_server.url
    family = FamilyFactory()
    PersonFactory(family=family, given_name="Amir", family_name="Khan")
    lead = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Sam Lead"
    )
    case = CaseFactory(family=family, lead_practitioner=lead)
    partner = UserFactory(
        role=Role.REQUESTER,
        organisation=OrganisationFactory(name="Erdington Primary"),
        full_name="Pat Partner",
    )
    join_team(case, partner)

    sign_in_with_browser(page, base, lead.email)
    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_test_id("documents-link").click()
    assert page.get_by_role("heading", name="Documents").is_visible()
    assert page.get_by_test_id("no-documents").is_visible()
    page.get_by_role("link", name="Add a document").click()
    assert page.get_by_role("heading", name="Add a document").is_visible()
    shoot(page, "N-document-upload")

    # Nothing filled in: every problem at once, each linked to its field.
    page.get_by_role("button", name="Add the document").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    for message in (
        "Enter a title for the document",
        "Select the type of document",
        "Select whether the partners on the team can see it",
        "Select a file to upload",
    ):
        assert message in summary, message
    assert page.title().startswith("Error:")
    shoot(page, "N-document-upload-errors")

    # A program dressed as a PDF is refused by its bytes.
    page.get_by_label("Title").fill("Signed consent to share")
    page.get_by_label("Signed consent").check()
    page.get_by_label("Yes, share it with the partners on the team").check()
    page.get_by_label("File").set_input_files(
        {"name": "consent.pdf", "mimeType": "application/pdf", "buffer": b"MZ" * 64}
    )
    page.get_by_role("button", name="Add the document").click()
    assert (
        "is a program, not a document"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert not CaseDocument.objects.exists()

    page.get_by_label("File").set_input_files(
        {"name": "consent.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Add the document").click()
    assert page.get_by_text("Document “Signed consent to share” added.").is_visible()

    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Title").fill("School attendance report")
    page.get_by_label("Report").check()
    page.get_by_label("No, only early help workers on the case").check()
    page.get_by_label("File").set_input_files(
        {
            "name": "attendance.txt",
            "mimeType": "text/plain",
            "buffer": b"Attendance: 82% this term.\n",
        }
    )
    page.get_by_role("button", name="Add the document").click()
    table = page.get_by_test_id("documents").inner_text()
    assert "Signed consent to share" in table and "School attendance report" in table
    shoot(page, "N-documents-list")

    with page.expect_download() as download:
        page.get_by_role("link", name="Signed consent to share").click()
    assert download.value.suggested_filename == "signed-consent-to-share.pdf"
    assert Path(download.value.path()).read_bytes() == PDF

    # The chronology shows both uploads and the download.
    page.goto(f"{base}/cases/{case.pk}/")
    timeline = page.get_by_test_id("timeline").inner_text()
    assert timeline.count("Document uploaded") == 2
    assert "Document downloaded" in timeline

    # The partner sees the shared document only.
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    partner_page = context.new_page()
    failures = watch_with_axe(browser, partner_page)
    sign_in_with_browser(partner_page, base, partner.email)
    partner_page.goto(f"{base}/cases/{case.pk}/")
    partner_page.get_by_role(
        "link", name="See the documents shared with the team"
    ).click()
    table = partner_page.get_by_test_id("documents").inner_text()
    assert "Signed consent to share" in table
    assert "School attendance report" not in table
    shoot(partner_page, "N-documents-partner")
    context.close()
    assert failures == {}, failures
