"""A practitioner adds a baby born since the case opened, and a household
member who was not on it, from the case page, in Chromium."""

from __future__ import annotations

import pytest
from django.test import override_settings

from casework.models import CasePerson
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import CaseFactory, PersonFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_adding_people_to_a_case(live_server, page, browser):
    case = CaseFactory(status="plan")
    PersonFactory(family=case.family, given_name="Amir")
    PersonFactory(
        family=case.family, given_name="Sana", role="adult", relationship="mother"
    )
    PersonFactory(
        family=case.family,
        given_name="Yusuf",
        role="adult",
        relationship="step_parent",
        on_cases=False,
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in_with_browser(page, live_server.url, case.lead_practitioner.email)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    cookies = page.context.cookies()
    assert "Yusuf Khan" in page.get_by_test_id("household-others").inner_text()
    assert "Yusuf Khan" not in page.get_by_test_id("people").inner_text()

    page.get_by_role("button", name="Add to this case").click()
    assert "Yusuf Khan added to the case." in page.content()
    assert "Yusuf Khan" in page.get_by_test_id("people").inner_text()

    page.get_by_role("link", name="Add someone new to the case").click()
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_role("button", name="Add to the case").click()
    assert "There is a problem" in page.content()
    assert "Choose whether they are a child or an adult" in page.content()
    assert "Enter their first name" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "case-people-01-errors.png"), full_page=True)
    page.get_by_role("radio", name="Child").check()
    page.get_by_label("First name").fill("Zara")
    page.get_by_label("Last name").fill("Khan")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Add to the case").click()
    assert "Zara Khan added to the case." in page.content()
    people = page.get_by_test_id("people").inner_text()
    assert "Zara Khan" in people and "Amir Khan" in people
    page.screenshot(path=str(SCREENSHOTS / "case-people-02-case.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []
    assert set(
        CasePerson.objects.filter(case=case).values_list(
            "person__given_name", flat=True
        )
    ) == {"Amir", "Sana", "Yusuf", "Zara"}
