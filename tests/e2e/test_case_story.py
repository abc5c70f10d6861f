"""The case as a story, on a phone and on a desk: the professionals around the
family added through the form (every problem at once), shown with
tap-to-call links; the chronology filtered without JavaScript, the choice in
the address; each page within the screen and without serious accessibility
problems."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings

from accounts.roles import Role
from casework.models import CaseNote
from casework.services.step_up import case_step_up, step_up_outcome_record
from core import clock
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.test_large_families import fits
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import CaseFactory, PersonFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MARCH_3 = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)


def story() -> Any:
    lead: Any = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Amira Khan"
    )
    case: Any = CaseFactory(lead_practitioner=lead)
    for given in ("Ayesha", "Bilal"):
        PersonFactory(family=case.family, given_name=given, family_name="Begum")
    for text, significant in (
        ("Home visit: the children were calmer at breakfast.", True),
        ("Call with the school about attendance.", False),
    ):
        CaseNote.objects.create(
            case=case,
            kind="visit" if significant else "call",
            text=text,
            significant=significant,
            happened_at=MARCH_3 - dt.timedelta(days=2),
            author=lead,
        )
    with clock.replaying_at(MARCH_3):
        (referral, _other) = case_step_up(
            case_id=case.pk,
            actor=lead,
            person_ids=list(case.people.values_list("pk", flat=True)),
            reason="Concerns about neglect after the school's call about bruising.",
        )
    with clock.replaying_at(MARCH_3 + dt.timedelta(days=2)):
        step_up_outcome_record(
            referral_id=referral.pk,
            actor=lead,
            outcome="nfa_returned_to_early_help",
        )
    return case


@override_settings(TWO_FACTOR_REQUIRED=False)
@pytest.mark.parametrize("width", [390, 1280])
def test_contacts_and_the_filtered_chronology(live_server, browser, width):
    case = story()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, object] = {}
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in_with_browser(page, live_server.url, case.lead_practitioner.email)
    cookies = page.context.cookies()

    def check(name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"P-{name}-{width}.png"), full_page=True)
        if not fits(page):
            problems[f"{name}: wider than the screen"] = page.evaluate(
                "document.documentElement.scrollWidth"
            )
        violations = axe_violations(browser, page.url, cookies)
        if violations:
            problems[f"{name}: axe"] = [v["id"] for v in violations]

    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Add a professional").click()
    page.get_by_label("Telephone number").fill("12345")
    page.get_by_role("button", name="Add the contact").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    for message in ("Select who they are", "Enter the contact's name", "UK telephone"):
        if message not in summary:
            problems[f"summary lacks {message}"] = summary
    check("contact-errors")
    page.get_by_label("GP").check()
    page.get_by_label("Name").fill("Dr Priya Patel")
    page.get_by_label("Organisation").fill("Lozells Road Surgery")
    page.get_by_label("Telephone number").fill("0121 496 0000")
    page.get_by_label("E-mail address").fill("priya.patel.lozells@example.nhs.uk")
    page.get_by_role("button", name="Add the contact").click()
    contacts = page.locator('[data-testid="contacts"]')
    if (
        contacts.get_by_role("link", name="0121 496 0000").get_attribute("href")
        != "tel:01214960000"
    ):
        problems["tel link"] = contacts.inner_html()
    page.locator("#contacts").scroll_into_view_if_needed()
    check("case")
    page.get_by_label("Significant events").check()
    page.get_by_role("button", name="Apply filter").click()
    if "show=significant" not in page.url:
        problems["filter not in the address"] = page.url
    timeline = page.locator('[data-testid="timeline"]').inner_text()
    if "Call with the school" in timeline or "Stepped up to" not in timeline:
        problems["filtered timeline"] = timeline
    if "Children's social care decided" not in timeline:
        problems["decision sentence"] = timeline
    page.locator("#chronology").scroll_into_view_if_needed()
    check("chronology-significant")
    context.close()
    assert problems == {}
