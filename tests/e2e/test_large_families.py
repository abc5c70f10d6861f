"""A large household with long names, on a phone and on a desk: the triage form,
the case, the assessment and the step-up pages stay within the screen, name
everyone, and have no serious accessibility problems."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from accounts.roles import Role
from families.models import Person
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import CaseFactory, FormFactory, PersonFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SURNAME = "Oluwaseun-Montgomery-Fitzwilliam"
CHILDREN = [
    "Anastasia-Oluwatobiloba",
    "Bartholomew",
    "Christabel-Temitope",
    "Demetrius",
    "Evangelina-Adeola",
    "Fitzgerald",
    "Guinevere-Oyinkansola",
    "Hieronymus",
]


def fits(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


@override_settings(TWO_FACTOR_REQUIRED=False)
@pytest.mark.parametrize("width", [375, 1100])
def test_eight_children_with_long_names(live_server, browser, width):
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    case = CaseFactory(lead_practitioner=manager)
    for number, name in enumerate(CHILDREN):
        PersonFactory(
            family=case.family,
            given_name=name,
            family_name=SURNAME,
            date_of_birth=dt.date(2010 + number, 1 + number, 1 + number),
        )
    PersonFactory(
        family=case.family,
        given_name="Oluwakemi-Alexandrina",
        family_name=SURNAME,
        role="adult",
        relationship="mother",
    )
    form = FormFactory(family=case.family)
    for position, person in enumerate(Person.objects.filter(family=case.family)):
        form.members.create(
            position=position,
            role=person.role,
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
        )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in_with_browser(page, live_server.url, manager.email)
    cookies = page.context.cookies()
    problems = {}
    for name, path in [
        ("triage-form", f"/triage/forms/{form.reference}/"),
        ("case", f"/cases/{case.pk}/"),
        ("assessment", f"/cases/{case.pk}/assessment/"),
        ("step-up", f"/cases/{case.pk}/step-up/"),
    ]:
        page.goto(live_server.url + path)
        text = page.locator("main").inner_text()
        missing = [c for c in CHILDREN if c not in text]
        if missing:
            problems[f"{name}: not named"] = missing
        if not fits(page):
            problems[f"{name}: wider than the screen"] = page.evaluate(
                "document.documentElement.scrollWidth"
            )
        page.screenshot(
            path=str(SCREENSHOTS / f"large-family-{width}-{name}.png"),
            full_page=True,
        )
        violations = axe_violations(browser, page.url, cookies)
        if violations:
            problems[f"{name}: axe"] = [v["id"] for v in violations]
    context.close()
    assert problems == {}
