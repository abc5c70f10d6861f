"""Dates as people write them, in the browser: the add-action and review pages
take day, month and year, say what is wrong linked to the first box in error,
and fit a phone's screen as well as a desk's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from casework.models import PlanAction, PlanOutcome, Review
from casework.services.assessment import assessment_save
from tests.casework.test_assessment import whole
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.dates import fill_date
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import CaseFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def shoot(page, name: str) -> None:
    """The page at a phone's width and a desk's; nothing wider than the screen."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{name} is wider than {width} px"
    page.set_viewport_size({"width": 1100, "height": 900})


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_an_action_and_a_review_take_dates_in_day_month_and_year(live_server, page):
    base = live_server.url
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory(lead_practitioner=lead)
    PersonFactory(family=case.family, given_name="Ayesha", role="child")
    PlanOutcome.objects.create(
        case=case, text="Calmer mornings", domain="relationships", created_by=lead
    )
    today = timezone.localdate()
    sign_in_with_browser(page, base, lead.email)

    # Add an action: a due date already past, and a month left out.
    page.goto(f"{base}/cases/{case.pk}/plan/")
    page.get_by_label("What will be done").fill("Breakfast club place")
    page.get_by_label("Who will do it").select_option("family")
    fill_date(page, "Due date", today - dt.timedelta(days=1))
    page.get_by_role("button", name="Add the action").click()
    summary = page.locator(".govuk-error-summary")
    assert "The due date must be today or in the future" in summary.inner_text()
    shoot(page, "dates-add-action-past")
    group = page.get_by_role("group", name="Due date")
    group.get_by_label("Month").fill("")
    page.get_by_role("button", name="Add the action").click()
    link = page.get_by_role("link", name="Due date must include a month")
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_due_on_1"
    shoot(page, "dates-add-action-month-missing")
    fill_date(page, "Due date", today + dt.timedelta(days=14))
    page.get_by_role("button", name="Add the action").click()
    assert PlanAction.objects.get().due_on == today + dt.timedelta(days=14)

    # A review held last month, its next one set in the past: refused.
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    page.goto(f"{base}/cases/{case.pk}/reviews/")
    fill_date(page, "Date of the review", today - dt.timedelta(days=30))
    fill_date(page, "Date of the next review", today - dt.timedelta(days=2))
    page.get_by_role("button", name="Record the review").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "The date of the next review must be today or in the future" in summary
    assert "Date of the review" not in summary, "held in the past is fine"
    shoot(page, "dates-review-errors")
    assert not Review.objects.exists()
