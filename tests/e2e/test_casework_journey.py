"""A practitioner works a case from allocation to closure in Chromium."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from casework.models import Assessment, CaseClosure, PlanAction, Review
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import OrganisationFactory, UserFactory
from tests.localities.test_triage import decide, submit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WHEEL = [
    "Family wheel: Healthy lifestyles",
    "Family wheel: Relationships",
    "Family wheel: Learning and development",
    "Family wheel: Community engagement",
    "Family wheel: Safeguarding",
]


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_allocation_assessment_plan_two_reviews_and_closure(live_server, page, browser):
    requester = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    form = submit(requester)
    assert (
        decide(
            manager, form, outcome="allocated", lead_practitioner=worker.email
        ).status_code
        == 200
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    sign_in_with_browser(page, live_server.url, worker.email)
    page.goto(f"{live_server.url}/cases/")
    page.locator("[data-testid=caseload] a").first.click()
    case_url = page.url
    assert "/cases/" in case_url, (case_url, page.content()[:2000])
    assert "Ayesha Khan" in page.content()
    cookies = page.context.cookies()
    assert axe_violations(browser, case_url, cookies) == []

    # Early Help Assessment.
    page.get_by_role("link", name="Early Help Assessment").click()
    page.get_by_label("What we are worried about").fill("Debt and poor sleep.")
    page.get_by_label("What is working well").fill("Grandma helps every day.")
    page.get_by_label("What needs to happen").fill("Debt advice and a bedtime routine.")
    page.get_by_label(
        "Scaling: how close are things to being good enough to close?"
    ).select_option("3")
    for label in WHEEL:
        page.get_by_label(label).select_option("4")
    page.get_by_label("Overall score for Ayesha Khan").select_option("4")
    page.get_by_label("Overall score for Sara Khan").select_option("5")
    page.get_by_label("Ayesha's voice").fill("I want mum to be less worried.")
    page.screenshot(path=str(SCREENSHOTS / "case-01-assessment.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_role("button", name="Complete the assessment").click()
    assert "Assessment completed" in page.content()
    assert Assessment.objects.get().completed_at is not None

    # Our Family Plan with a community action.
    page.get_by_role("link", name="Our Family Plan").click()
    page.get_by_label("Outcome, in the family's words").fill("Mornings are calm.")
    page.get_by_label("Part of the family wheel").select_option("relationships")
    page.get_by_role("button", name="Add the outcome").click()
    page.get_by_label("What will be done").fill("Parenting group at the family hub")
    page.get_by_label("Who will do it").select_option("family")
    page.get_by_label("By when").fill(
        (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    )
    page.get_by_label("A community resource will deliver this").check()
    page.get_by_role("button", name="Add the action").click()
    assert PlanAction.objects.get().community
    page.screenshot(path=str(SCREENSHOTS / "case-02-plan.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []

    # Two reviews.
    for weeks_ago, scaling in ((6, "5"), (0, "7")):
        page.goto(f"{case_url}reviews/")
        held = timezone.localdate() - dt.timedelta(weeks=weeks_ago)
        page.get_by_label("Date of the review").fill(held.isoformat())
        page.get_by_label("Who attended").fill("Mum, school, lead practitioner")
        page.get_by_label("Progress made").fill("Mornings calmer; debt plan agreed.")
        page.get_by_label(
            "Scaling: how close are things to being good enough to close?"
        ).select_option(scaling)
        for label in WHEEL:
            page.get_by_label(label).select_option("6")
        page.get_by_label("Overall score for Ayesha").select_option("6")
        page.get_by_label("Overall score for Sara").select_option("6")
        page.get_by_role("button", name="Record the review").click()
        assert "Review recorded" in page.content()
    assert Review.objects.count() == 2

    # Closure with outcomes met.
    page.goto(case_url)
    page.get_by_role("link", name="Close the case").click()
    page.get_by_label("Outcomes met").check()
    for label in WHEEL:
        page.get_by_label(
            label.replace("Family wheel:", "Family wheel at closure:")
        ).select_option("8")
    page.get_by_label("Overall score at closure for Ayesha").select_option("8")
    page.get_by_label("Overall score at closure for Sara").select_option("7")
    page.get_by_label("Does Ayesha feel happy?").select_option("yes")
    page.get_by_label("Does Ayesha feel healthy?").select_option("yes")
    page.get_by_label("Does Ayesha feel safe?").select_option("yes")
    page.get_by_label(
        "Family feedback: how helpful was early help? (1 to 5)"
    ).select_option("5")
    page.screenshot(path=str(SCREENSHOTS / "case-03-close.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_role("button", name="Close the case").click()
    assert "Case closed" in page.content()
    closure = CaseClosure.objects.get()
    assert closure.reason == "outcomes_met" and closure.family_feedback_score == 5
    page.screenshot(path=str(SCREENSHOTS / "case-04-closed.png"), full_page=True)
