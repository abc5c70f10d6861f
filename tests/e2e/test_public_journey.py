"""A family asks for help in Chromium, without an account."""

from __future__ import annotations

import pytest

from family_connect.models import FamilyConnectForm, FormDraft
from tests.e2e.conftest import AXE, SCREENSHOTS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Journey:
    """Drives the pages with the keyboard: focus a control, type or press."""

    def __init__(self, browser, base: str) -> None:
        self.browser = browser
        self.base = base
        self.axe_failures: dict[str, list[str]] = {}
        self.open()

    def open(self) -> None:
        # CSP is bypassed only so that axe-core can be injected into each page.
        self.context = self.browser.new_context(
            viewport={"width": 414, "height": 896}, bypass_csp=True
        )
        self.page = self.context.new_page()

    def close(self) -> None:
        self.context.close()

    def check_accessibility(self) -> None:
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        bad = [
            f"{v['id']}: {v['help']}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if bad:
            self.axe_failures[self.page.url] = bad

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def choose(self, label: str) -> None:
        self.page.get_by_label(label, exact=True).focus()
        self.page.keyboard.press("Space")

    def type(self, label: str, text: str) -> None:
        self.page.get_by_label(label, exact=True).focus()
        self.page.keyboard.type(text)

    def press_button(self, name: str) -> None:
        self.page.get_by_role("button", name=name).focus()
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.check_accessibility()


def test_a_family_asks_for_help_without_an_account(live_server, browser):
    j = Journey(browser, live_server.url)
    j.page.goto(f"{live_server.url}/family-connect/")
    j.check_accessibility()
    j.shot("fc-01-start")
    j.press_button("Start now")

    assert j.page.title().startswith("Do you think a child may be at risk")
    j.choose("No")
    j.press_button("Continue")
    j.choose("Yes")
    j.press_button("Continue")
    j.type("Your full name", "Sara Khan")
    j.type("Email address (optional)", "sara@example.org")
    j.press_button("Continue")

    # A bad postcode: the error summary links to the field, nothing is lost.
    j.type("Postcode", "B23 6T")
    j.press_button("Continue")
    assert j.page.title().startswith("Error:")
    summary = j.page.locator(".govuk-error-summary")
    assert "Enter a real postcode" in summary.inner_text()
    assert summary.locator("a").get_attribute("href") == "#id_postcode"
    j.shot("fc-02-address-error")
    j.page.get_by_label("Postcode", exact=True).fill("")
    j.type("Postcode", " b23  6tj ")
    j.type("Address (optional)", "12 Example Road")
    j.press_button("Continue")

    # Save, close the browser, come back with the private link.
    j.page.get_by_role("link", name="Save and come back later").click()
    link = j.page.get_by_test_id("resume-link").inner_text()
    j.close()
    j.open()
    j.page.goto(link)
    assert j.page.title().startswith("Add a child")

    j.type("First name", "Ayesha")
    j.type("Last name", "Khan")
    j.type("Day", "2")
    j.type("Month", "5")
    j.type("Year", "2014")
    j.choose("Female")
    j.page.get_by_label("Ethnic group", exact=True).select_option("asian_pakistani")
    j.shot("fc-03-child")
    j.press_button("Continue")
    j.choose("No")  # no more children
    j.press_button("Continue")
    j.choose("No")  # no adults
    j.press_button("Continue")
    j.type("What is the family's main language?", "English")
    j.choose("No")
    j.press_button("Continue")
    j.press_button("Continue")  # communication needs: optional
    j.choose("Financial, housing, employment or training needs")
    j.press_button("Continue")
    j.choose("Universal plus")
    j.press_button("Continue")
    j.type("What would help your family?", "Help with food and the electricity bill.")
    j.press_button("Continue")
    j.press_button("Continue")  # child's voice: optional
    j.press_button("Continue")  # what is working well: optional

    assert j.page.title().startswith("Check your answers")
    assert "B23 6TJ" in j.page.content() and "2 May 2014" in j.page.content()
    j.shot("fc-04-check")
    check_url = j.page.url
    j.press_button("Accept and send")
    assert j.page.title().startswith("Form sent")
    reference = j.page.get_by_test_id("reference").inner_text()
    status_url = j.page.get_by_test_id("status-link").inner_text()
    j.shot("fc-05-confirmation")

    # Sending again (a retry, or back and send) changes nothing.
    j.page.goto(check_url)
    assert j.page.title().startswith("Form sent")
    assert FamilyConnectForm.objects.count() == 1
    form = FamilyConnectForm.objects.get()
    assert form.reference == reference
    assert form.locality.slug == "erdington"
    assert form.postcode == "B23 6TJ"
    assert form.members.get().given_name == "Ayesha"
    assert FormDraft.objects.get().answers == {}

    j.page.goto(status_url)
    assert "Waiting for a decision" in j.page.get_by_test_id("status").inner_text()
    assert "Ayesha" not in j.page.content()
    j.check_accessibility()
    j.shot("fc-06-status")
    j.close()
    assert j.axe_failures == {}


def test_the_public_form_in_urdu(live_server, browser):
    j = Journey(browser, live_server.url)
    j.page.goto(f"{live_server.url}/family-connect/")
    with j.page.expect_navigation():
        j.page.get_by_role("button", name="اردو").click()
    assert j.page.locator("html").get_attribute("dir") == "rtl"
    j.check_accessibility()
    j.shot("fc-07-start-urdu")
    with j.page.expect_navigation():
        j.page.locator("form:not(.ehc-language-switch) button.govuk-button").click()
    assert "/family-connect/step/safeguarding/" in j.page.url
    j.shot("fc-08-safeguarding-urdu")
    j.check_accessibility()
    j.close()
    assert j.axe_failures == {}
