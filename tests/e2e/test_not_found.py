"""Out of scope in Chromium: a practitioner in another locality, or a school that
did not send the form, follows a link to a case or a form and gets the service's
own not-found page, the same as for a record that does not exist, with nothing
of the family on it."""

from __future__ import annotations

import pytest
from django.test import override_settings

from accounts.roles import Role
from casework.models import Case
from family_connect.references import status_token
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import OrganisationFactory, UserFactory
from tests.triage.test_triage import decide, submit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# An Erdington family, named so that nothing else on a page could match by chance.
FAMILY = "Quennell-Abara"
ADDRESS = "7 Kestrel Close"
POSTCODE = "B23 6TJ"


def erdington_case():
    """A form a school sent for an Erdington family, and another for a second
    family still waiting in the triage queue; the first is allocated."""
    school = OrganisationFactory(kind="school", name="Short Heath Primary")
    requester = UserFactory(role=Role.REQUESTER, organisation=school)
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    changes = {
        "household__members__0__family_name": FAMILY,
        "household__members__1__family_name": FAMILY,
        "household__address_line": ADDRESS,
        "request__consent_given_by": f"Sara {FAMILY} (mother)",
    }
    allocated = submit(requester, **changes)
    waiting = submit(requester, **changes)
    response = decide(
        manager, allocated, outcome="allocated", lead_practitioner=lead.email
    )
    assert response.status_code == 200, response.content
    allocated.refresh_from_db()
    waiting.refresh_from_db()
    assert waiting.status == "submitted"
    return Case.objects.get(), allocated, waiting


def assert_not_found_page(page, response, path, *secrets):
    """The service's not-found page, signed in, with none of the secrets (the
    address asked for comes back only in the language switch's return path)."""
    assert response is not None and response.status == 404, page.url
    assert page.title() == "Page not found – Early Help Connect"
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    body = page.get_by_test_id("not-found").inner_text()
    assert "you may not have access to it" in body
    assert page.get_by_test_id("signed-in-user").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    home = page.get_by_role("link", name="Go to your home page")
    assert home.get_attribute("href") == "/"
    html = page.content().replace(f'value="{path}"', "")
    for secret in secrets:
        assert secret not in html, secret


def each_not_found(page, base, who, paths, secrets):
    """Visit each path: the not-found page every time, screenshotted."""
    for name, path in paths:
        response = page.goto(base + path)
        assert_not_found_page(page, response, path, *secrets)
        page.screenshot(path=str(SCREENSHOTS / f"not-found-{who}-{name}.png"))


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_a_practitioner_in_another_locality_gets_the_not_found_page(
    live_server, page, browser
):
    case, allocated, waiting = erdington_case()
    ladywood = UserFactory(role=Role.PRACTITIONER, localities=["ladywood"])
    secrets = (FAMILY, "Ayesha", ADDRESS, POSTCODE, allocated.reference)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    sign_in_with_browser(page, live_server.url, ladywood.email)
    assert page.get_by_test_id("home-heading").inner_text() == "Practitioner"
    cookies = page.context.cookies()
    base = live_server.url
    each_not_found(
        page,
        base,
        "ladywood",
        [
            ("case", f"/cases/{case.pk}/"),
            ("assessment", f"/cases/{case.pk}/assessment/"),
            ("plan", f"/cases/{case.pk}/plan/"),
            ("step-up", f"/cases/{case.pk}/step-up/"),
            ("triage-allocated", f"/triage/forms/{allocated.reference}/"),
            ("triage-waiting", f"/triage/forms/{waiting.reference}/"),
        ],
        (*secrets, waiting.reference),
    )
    assert axe_violations(browser, f"{base}/cases/{case.pk}/", cookies) == []

    # Another locality's case answers exactly as a case that does not exist.
    page.goto(f"{base}/cases/{case.pk}/")
    elsewhere = page.locator("main").inner_text()
    missing = page.goto(f"{base}/cases/{case.pk + 1000}/")
    assert missing is not None and missing.status == 404
    assert page.locator("main").inner_text() == elsewhere

    # The link home leads back to the practitioner's own home page.
    page.goto(f"{base}/cases/{case.pk}/plan/")
    page.get_by_role("link", name="Go to your home page").click()
    assert page.url == f"{base}/"
    assert page.get_by_test_id("home-heading").inner_text() == "Practitioner"


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_a_school_that_did_not_send_the_form_gets_the_not_found_page(
    live_server, page, browser
):
    case, allocated, waiting = erdington_case()
    other_school = UserFactory(
        role=Role.REQUESTER,
        organisation=OrganisationFactory(kind="school", name="Stockland Green"),
    )
    secrets = (FAMILY, "Ayesha", ADDRESS, allocated.reference)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    sign_in_with_browser(page, live_server.url, other_school.email)
    assert page.get_by_test_id("home-heading").inner_text() == "Requester"
    cookies = page.context.cookies()
    base = live_server.url
    each_not_found(
        page,
        base,
        "requester",
        [
            ("case", f"/cases/{case.pk}/"),
            ("plan", f"/cases/{case.pk}/plan/"),
            ("triage", f"/triage/forms/{allocated.reference}/"),
        ],
        secrets,
    )
    assert axe_violations(browser, f"{base}/cases/{case.pk}/", cookies) == []

    # Their own list of forms does not find the other school's form.
    page.goto(f"{base}/family-connect/forms/?q={allocated.reference}")
    assert page.get_by_role("table").count() == 0
    for secret in secrets[:3]:
        assert secret not in page.content()

    # A status link guessed from the form's key (the signature is wrong) does
    # not work: nothing of the form, its reference or its status.
    forged = status_token(allocated.status_key).rsplit(".", 1)[0] + ".forged"
    response = page.goto(f"{base}/family-connect/status/{forged}/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == (
        "This link does not work"
    )
    html = page.content()
    for secret in (*secrets, "Allocated", "allocated"):
        assert secret not in html, secret
    page.screenshot(
        path=str(SCREENSHOTS / "not-found-requester-status.png"), full_page=True
    )
    assert axe_violations(browser, page.url, cookies) == []

    # Signed out, a wrong address offers the public form and the sign-in.
    page.get_by_role("button", name="Sign out").click()
    response = page.goto(f"{base}/cases/{case.pk}/nowhere/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert page.get_by_test_id("signed-in-user").count() == 0
    assert page.get_by_role("link", name="fill in a Family Connect Form").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "not-found-signed-out.png"))
    assert axe_violations(browser, page.url, []) == []
    page.get_by_role("link", name="Sign in to Early Help Connect").click()
    assert page.title() == "Sign in – Early Help Connect"
