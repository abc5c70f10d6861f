"""A family asks for help in Chromium, without an account."""

from __future__ import annotations

import pytest

from family_connect.models import FamilyConnectForm, FormDraft
from tests.e2e.conftest import AXE, SCREENSHOTS, failing

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


PHONE = {"width": 414, "height": 896}


# Each visible radio or checkbox whose drawn circle or box is not over its input
# (where it is tapped), or covers its label's text: on a right-to-left page GOV.UK
# Frontend's own styles draw it at the left, away from the input.
CHOICES_ASTRAY = """() => {
  const overlap = (a, b) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const astray = [];
  for (const item of document.querySelectorAll(
      ".govuk-radios__item, .govuk-checkboxes__item")) {
    const input = item.querySelector("input");
    const label = item.querySelector("label");
    if (!input || !label || !label.getClientRects().length) continue;
    const drawn = getComputedStyle(label, "::before");
    const box = item.getBoundingClientRect();
    const left = box.left + parseFloat(drawn.left);
    const top = box.top + parseFloat(drawn.top);
    const circle = {left, top, right: left + parseFloat(drawn.width),
                    bottom: top + parseFloat(drawn.height)};
    const text = document.createRange();
    text.selectNodeContents(label);
    const covers = [...text.getClientRects()].some((line) => overlap(line, circle));
    if (!overlap(circle, input.getBoundingClientRect()) || covers) {
      astray.push(label.textContent.trim());
    }
  }
  return astray;
}"""


class Journey:
    """Drives the pages with the keyboard: focus a control, type or press."""

    def __init__(self, browser, base: str) -> None:
        self.browser = browser
        self.base = base
        self.axe_failures: dict[str, list[str]] = {}
        self.broken: list[str] = []
        self.open()

    def open(self) -> None:
        # CSP is bypassed only so that axe-core can be injected into each page.
        self.context = self.browser.new_context(viewport=PHONE, bypass_csp=True)
        self.page = self.context.new_page()
        # Every request the pages make answers (the icon, styles, scripts).
        self.page.on("response", self.note_broken)

    def note_broken(self, response) -> None:
        if response.status >= 400:
            self.broken.append(f"{response.status} {response.url}")

    def close(self) -> None:
        self.context.close()

    def check_accessibility(self) -> None:
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        bad = [f"{v['id']}: {v['help']}" for v in failing(result["violations"])]
        # Nothing may widen the page sideways on a phone (in either direction).
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            bad.append(f"the page is {width}px wide on a {PHONE['width']}px screen")
        bad += [
            f"the circle or box of {label!r} is not over its input or covers its text"
            for label in self.page.evaluate(CHOICES_ASTRAY)
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

    def pick(self, name: str, value: str) -> None:
        """A radio or checkbox by its field name and value (any language)."""
        self.page.locator(f'main input[name="{name}"][value="{value}"]').focus()
        self.page.keyboard.press("Space")

    def enter(self, name: str, text: str) -> None:
        self.page.locator(f'main [name="{name}"]').focus()
        self.page.keyboard.type(text)

    def next(self) -> None:
        """The page's own button (not the language switch), with Enter."""
        self.page.locator(
            "main form:not(.ehc-language-switch) button.govuk-button"
        ).first.focus()
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.check_accessibility()

    def press_button(self, name: str) -> None:
        self.page.get_by_role("button", name=name).focus()
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.check_accessibility()


def test_a_family_asks_for_help_without_an_account(
    live_server, browser, real_celery_worker
):
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
    j.page.get_by_role("link", name="Save and come back later").focus()
    with j.page.expect_navigation():
        j.page.keyboard.press("Enter")
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
    j.shot("fc-03-child")
    j.press_button("Continue")
    # A child's questions come over three short pages on a phone.
    assert j.page.title().startswith("About Ayesha")
    j.choose("Female")
    j.page.get_by_label("Ethnic group", exact=True).select_option("asian_pakistani")
    j.shot("fc-03b-child-about")
    j.press_button("Continue")
    assert j.page.title().startswith("Ayesha's school and support")
    j.press_button("Continue")  # school, SEND and young carer: optional
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
    # A family is asked how much help it needs in its own words.
    j.choose("A bit of extra help with one thing")
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
    assert j.broken == []
    # The worker sent the confirmation, by reference only.
    (sent,) = real_celery_worker.wait_for_sent(
        subject=f"We have received your Family Connect Form {reference}"
    )
    assert sent.to == "sara@example.org" and "Ayesha" not in sent.body
    assert status_url.replace(live_server.url, "") in sent.body
    assert "Traceback" not in real_celery_worker.output()


def test_a_family_asks_for_help_in_urdu_with_the_keyboard(
    live_server, browser, real_celery_worker
):
    """The whole journey in Urdu, right to left, by keyboard, to the status page."""
    j = Journey(browser, live_server.url)
    j.page.goto(f"{live_server.url}/family-connect/")
    j.page.get_by_role("button", name="اردو").focus()
    with j.page.expect_navigation():
        j.page.keyboard.press("Enter")
    assert j.page.locator("html").get_attribute("dir") == "rtl"
    assert j.page.locator("html").get_attribute("lang") == "ur"
    j.check_accessibility()
    j.shot("fc-07-start-urdu")
    j.next()
    assert "/family-connect/step/safeguarding/" in j.page.url
    j.shot("fc-08-safeguarding-urdu")
    j.pick("safeguarding_concern", "no")
    j.next()
    j.pick("consent", "yes")
    j.next()
    j.enter("contact_name", "ثنا خان")
    j.enter("contact_phone", "07700 900123")
    j.next()
    j.enter("postcode", "B23 6TJ")
    j.next()
    j.enter("given_name", "عائشہ")
    j.enter("family_name", "خان")
    j.enter("date_of_birth_0", "2")
    j.enter("date_of_birth_1", "5")
    j.enter("date_of_birth_2", "2014")
    j.next()
    j.pick("sex", "female")
    j.page.locator('[name="ethnicity"]').select_option("asian_pakistani")
    j.shot("fc-09-child-urdu")
    j.next()
    j.next()  # school, SEND and young carer: optional
    j.pick("add_another", "no")  # no more children
    j.next()
    j.pick("add_another", "no")  # no adults
    j.next()
    j.enter("language", "اردو")
    j.pick("interpreter_needed", "yes")
    j.next()
    j.next()  # communication needs: optional
    j.pick("reasons", "financial_housing_employment")
    j.next()
    j.pick("level_of_need", "universal_plus")
    j.next()
    j.enter("family_words", "کھانے اور بجلی کے بل میں مدد")
    j.next()
    j.next()  # child's voice: optional
    j.next()  # what is working well: optional
    assert "/family-connect/check/" in j.page.url, j.page.url
    assert "عائشہ" in j.page.content() and "B23 6TJ" in j.page.content()
    j.shot("fc-10-check-urdu")
    j.next()  # accept and send
    reference = j.page.get_by_test_id("reference").inner_text()
    j.shot("fc-11-confirmation-urdu")
    form = FamilyConnectForm.objects.get()
    assert form.reference == reference
    assert form.members.get().given_name == "عائشہ"
    assert form.language == "اردو" and form.interpreter_needed

    # The status link, followed with the keyboard, answers in Urdu.
    j.page.get_by_test_id("status-link").focus()
    with j.page.expect_navigation():
        j.page.keyboard.press("Enter")
    assert j.page.locator("html").get_attribute("dir") == "rtl"
    assert j.page.get_by_test_id("status").inner_text().strip()
    assert "عائشہ" not in j.page.content()
    j.check_accessibility()
    j.shot("fc-12-status-urdu")
    j.close()
    assert j.axe_failures == {}
    assert j.broken == []
    assert "Traceback" not in real_celery_worker.output()
