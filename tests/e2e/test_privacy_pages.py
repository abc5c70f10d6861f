"""The data protection officer in Chromium: who viewed a person's records, then
a subject access request; a user changes their password. axe finds no serious
or critical problems on any of these pages."""

from __future__ import annotations

import pytest
from django.test import override_settings

from accounts.roles import Role
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import CaseFactory, PersonFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_the_data_protection_officers_pages(live_server, page, browser):
    case = CaseFactory()
    person = PersonFactory(family=case.family, given_name="Xena", family_name="Ward")
    officer = UserFactory(role=Role.DATA_PROTECTION, organisation=None)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in_with_browser(page, live_server.url, officer.email)
    cookies = page.context.cookies()

    page.get_by_role("link", name="Who viewed a person's records").click()
    page.get_by_role("button", name="Show who viewed").click()  # empty: an error
    assert "Enter the person number" in page.content()
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_label("Person number").fill(str(person.pk))
    page.get_by_role("button", name="Show who viewed").click()
    assert "Xena Ward" in page.content()
    assert officer.email in page.content()  # the officer's own look is listed
    page.screenshot(path=str(SCREENSHOTS / "privacy-01-who-viewed.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Subject access request").click()
    page.get_by_label("Person number").fill(str(person.pk))
    page.get_by_role("button", name="Find the person").click()
    page.screenshot(
        path=str(SCREENSHOTS / "privacy-02-subject-access.png"), full_page=True
    )
    assert axe_violations(browser, page.url, cookies) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the export as JSON").click()
    assert (
        download.value.suggested_filename == f"subject-access-person-{person.pk}.json"
    )
    # The PDF is a job: asking for it leads to its page, ready at once or after
    # the page's progress check reloads it (tasks run in-process in these tests;
    # on a busy machine the first render can still show the job queued).
    page.get_by_role("button", name="Make the export as a PDF").click()
    page.get_by_text("The PDF is ready").wait_for(timeout=30_000)
    page.screenshot(
        path=str(SCREENSHOTS / "privacy-03-subject-access-pdf.png"), full_page=True
    )
    assert axe_violations(browser, page.url, cookies) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    assert download.value.suggested_filename == f"subject-access-person-{person.pk}.pdf"


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_changing_a_password(live_server, page, browser):
    user = UserFactory(role=Role.REQUESTER)
    sign_in_with_browser(page, live_server.url, user.email)
    cookies = page.context.cookies()
    page.get_by_role("link", name="Change password").click()
    page.get_by_role("button", name="Change password").click()
    assert "Enter your current password" in page.content()
    assert axe_violations(browser, page.url, cookies) == []
    page.screenshot(
        path=str(SCREENSHOTS / "account-01-password-errors.png"), full_page=True
    )
