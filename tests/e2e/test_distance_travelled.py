"""The distance travelled on a phone and on a desk: the sign-off, case and
reviews pages draw the chart within the screen, with its table, and have no
serious accessibility problems; the closure page's warning too."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from casework.models import Assessment, WheelDomain
from casework.services.assessment import assessment_save
from casework.services.closure import case_close
from casework.services.plan import plan_action_add, plan_outcome_add
from casework.services.reviews import review_record
from tests.casework.test_assessment import whole
from tests.casework.test_closure import closing
from tests.casework.test_reviews import review_of
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.test_large_families import fits
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import CaseFactory, PersonFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def reviewed_case(people: int = 3) -> Any:
    case: Any = CaseFactory()
    for n in range(people):
        PersonFactory(
            family=case.family,
            given_name=f"Child{n}",
            family_name="Okonkwo-Hart",
            date_of_birth=dt.date(2012 + n, 3, 1),
        )
    lead = case.lead_practitioner
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    start = timezone.localdate() - dt.timedelta(weeks=13)
    # Assessed before the reviews, as in practice.
    Assessment.objects.filter(case=case).update(
        completed_at=timezone.now() - dt.timedelta(weeks=16)
    )
    for i, score in enumerate((5, 6)):
        wheel = dict.fromkeys(WheelDomain.values, score) | {"safeguarding": score + 2}
        review_record(
            case_id=case.pk,
            actor=lead,
            data=review_of(case, start + dt.timedelta(weeks=6 * i), wheel=wheel),
        )
    return case


@override_settings(TWO_FACTOR_REQUIRED=False)
@pytest.mark.parametrize("width", [390, 1280])
def test_the_chart_fits_the_screen_with_its_table(live_server, browser, width):
    case = reviewed_case()
    lead = case.lead_practitioner
    outcome = plan_outcome_add(
        case_id=case.pk, actor=lead, text="Calmer mornings", domain="relationships"
    )
    plan_action_add(
        case_id=case.pk,
        actor=lead,
        outcome_id=outcome.pk,
        what="Bedtime routine chart on the fridge",
        owner=lead,
        owner_is_family=False,
        due_on=timezone.localdate() + dt.timedelta(days=10),
        community=False,
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, object] = {}
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in_with_browser(page, live_server.url, lead.email)
    page.goto(f"{live_server.url}/cases/{case.pk}/close/")
    assert (
        "Bedtime routine chart on the fridge"
        in page.locator(".govuk-table").first.inner_text()
    )
    page.screenshot(path=str(SCREENSHOTS / f"J-close-{width}.png"), full_page=True)
    if not fits(page):
        problems["close: wider than the screen"] = True
    violations = axe_violations(browser, page.url, page.context.cookies())
    if violations:
        problems["close: axe"] = [v["id"] for v in violations]
    context.close()
    case_close(
        case_id=case.pk,
        actor=lead,
        data=dataclasses.replace(closing(case), open_actions_checked=True),
    )
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in_with_browser(page, live_server.url, manager.email)
    cookies = page.context.cookies()
    for name, path in [
        ("sign-off", f"/cases/{case.pk}/closure/sign-off/"),
        ("case", f"/cases/{case.pk}/"),
        ("reviews", f"/cases/{case.pk}/reviews/"),
    ]:
        page.goto(live_server.url + path)
        chart = page.locator('[data-testid="wheel-chart"] svg[role="img"]')
        box = chart.bounding_box()
        if box is None or box["width"] > width or box["width"] < 200:
            problems[f"{name}: chart width"] = box
        table = page.locator('[data-testid="wheel-table"]').inner_text()
        if "Review 2" not in table or "Closure" not in table:
            problems[f"{name}: table"] = table
        if not fits(page):
            problems[f"{name}: wider than the screen"] = page.evaluate(
                "document.documentElement.scrollWidth"
            )
        page.locator('[data-testid="distance-travelled"]').scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"J-{name}-{width}.png"), full_page=True)
        violations = axe_violations(browser, page.url, cookies)
        if violations:
            problems[f"{name}: axe"] = [v["id"] for v in violations]
    context.close()
    assert problems == {}
