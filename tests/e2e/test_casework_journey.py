"""A practitioner works a case in Chromium: allocation, assessment, plan, a review,
a step-up to children's social care for one child (social care send it back to
early help), a second review and closure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from casework.models import (
    Assessment,
    Case,
    CaseClosure,
    CaseEvent,
    PlanAction,
    Review,
    SocialCareReferral,
)
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.dates import fill_date
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import OrganisationFactory, UserFactory
from tests.family_connect.helpers import BASE
from tests.triage.test_triage import decide, submit

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
BILAL = {
    "role": "child",
    "given_name": "Bilal",
    "family_name": "Khan",
    "date_of_birth": "2017-09-14",
    "sex": "male",
    "ethnicity": "asian_pakistani",
}
WORRY = (
    "Ayesha told her teacher that mum's new partner hit her. CASS advised a "
    "referral; Bilal was not mentioned and has no marks."
)


def fill_review(page, held, scaling):
    fill_date(page, "Date of the review", held)
    page.get_by_label("Who attended").fill("Mum, school, lead practitioner")
    page.get_by_label("Progress made").fill("Mornings calmer; debt plan agreed.")
    page.get_by_label(
        "Scaling: how close are things to being good enough to close?"
    ).select_option(scaling)
    for label in WHEEL:
        page.get_by_label(label).select_option("6")
    for name in ("Ayesha", "Sara", "Bilal"):
        page.get_by_label(f"Overall score for {name}").select_option("6")
    page.get_by_role("button", name="Record the review").click()
    assert "Review recorded" in page.content()


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_assessment_plan_review_step_up_of_one_child_review_and_closure(
    live_server, page, browser, real_celery_worker
):
    requester = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    form = submit(requester, household__members=[*BASE["household"]["members"], BILAL])
    assert (
        decide(
            manager, form, outcome="allocated", lead_practitioner=worker.email
        ).status_code
        == 200
    )
    # The practitioner hears of the allocation by e-mail, sent by the real worker.
    subject = f"New family allocated to you: {form.reference}"
    real_celery_worker.wait_for_sent(subject=subject)
    assert subject in real_celery_worker.output()
    case = Case.objects.get()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    sign_in_with_browser(page, live_server.url, worker.email)
    page.goto(f"{live_server.url}/cases/")
    page.locator("[data-testid=caseload] tbody a").first.click()
    case_url = page.url
    assert case_url == f"{live_server.url}/cases/{case.pk}/", page.content()[:2000]
    assert "Ayesha Khan" in page.content() and "Bilal Khan" in page.content()
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
    page.get_by_label("Overall score for Bilal Khan").select_option("5")
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
    fill_date(page, "Due date", timezone.localdate() + dt.timedelta(days=30))
    page.get_by_label("A community resource will deliver this").check()
    page.get_by_role("button", name="Add the action").click()
    assert PlanAction.objects.get().community
    page.screenshot(path=str(SCREENSHOTS / "case-02-plan.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []

    # The first review, six weeks ago.
    page.goto(f"{case_url}reviews/")
    fill_review(page, timezone.localdate() - dt.timedelta(weeks=6), "5")

    # Since then the worry about Ayesha has grown: after ringing the children's
    # advice and support service, the practitioner steps Ayesha (not her
    # brother) up to social care. Early help stays open alongside.
    page.goto(case_url)
    page.get_by_role("link", name="Step up to social care").click()
    assert page.url == f"{case_url}step-up/"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Step up to children's social care"
    )
    assert "0121 303 1888" in page.content()
    # Both children are ticked to start with; the mother is not.
    assert page.get_by_label("Ayesha Khan").is_checked()
    assert page.get_by_label("Bilal Khan").is_checked()
    assert not page.get_by_label("Sara Khan").is_checked()
    page.screenshot(path=str(SCREENSHOTS / "case-03-step-up.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_label("Bilal Khan").uncheck()
    # Forgetting the reason: an error that leads to the box, choices kept.
    page.get_by_role("button", name="Record the step-up").click()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "Enter why you are stepping up" in summary.inner_text()
    summary.get_by_role("link", name="Enter why you are stepping up").click()
    assert page.evaluate("document.activeElement.id") == "reason"
    assert page.get_by_label("Ayesha Khan").is_checked()
    assert not page.get_by_label("Bilal Khan").is_checked()
    assert not SocialCareReferral.objects.exists()
    page.screenshot(path=str(SCREENSHOTS / "case-04-step-up-error.png"), full_page=True)
    page.get_by_label("Why are you stepping up?").fill(WORRY)
    page.get_by_role("button", name="Record the step-up").click()
    assert "Step-up recorded. The case stays open." in page.content()
    referral = SocialCareReferral.objects.get()
    assert referral.person.given_name == "Ayesha"
    assert (referral.source, referral.case_id, referral.reason, referral.outcome) == (
        "case",
        case.pk,
        WORRY,
        "",
    )
    assert referral.recorded_by == worker
    case.refresh_from_db()
    assert case.status == "plan"
    event = CaseEvent.objects.get(case=case, kind="stepped_up")
    assert event.actor == worker and event.data == {
        "people": [referral.person_id],
        "actor_role": "lead_practitioner",
    }
    assert axe_violations(browser, page.url, cookies) == []

    # Social care's initial contact team decide: no further action, back to
    # early help. The practitioner records it on the same page.
    page.get_by_label("Outcome for Ayesha").select_option("nfa_returned_to_early_help")
    rows = page.get_by_test_id("referrals").locator("tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").nth(0).inner_text() == "Ayesha Khan"
    assert rows.first.locator("td").nth(2).inner_text() == WORRY
    assert page.get_by_role("heading", name="Record another step-up").is_visible()
    page.get_by_role("button", name="Save outcome for Ayesha").click()
    assert "Outcome recorded." in page.content()
    referral.refresh_from_db()
    assert referral.outcome == "nfa_returned_to_early_help"
    assert referral.outcome_recorded_at is not None
    assert CaseEvent.objects.filter(case=case, kind="step_up_outcome").count() == 1
    page.screenshot(
        path=str(SCREENSHOTS / "case-05-step-up-outcome.png"), full_page=True
    )

    # The second review, today, with the plan carrying on.
    page.goto(f"{case_url}reviews/")
    fill_review(page, timezone.localdate(), "7")
    assert Review.objects.count() == 2

    # Closure with outcomes met.
    page.goto(case_url)
    page.get_by_role("link", name="Close the case").click()
    # The family's action is still open: the page warns, and closing asks the
    # practitioner to say they checked it.
    assert "Check these before you close the case" in page.content()
    assert "Parenting group at the family hub" in (
        page.get_by_test_id("open-actions").inner_text()
    )
    page.get_by_label("Outcomes met").check()
    for label in WHEEL:
        page.get_by_label(
            label.replace("Family wheel:", "Family wheel at closure:")
        ).select_option("8")
    page.get_by_label("Overall score at closure for Ayesha").select_option("8")
    page.get_by_label("Overall score at closure for Bilal").select_option("8")
    page.get_by_label("Overall score at closure for Sara").select_option("7")
    for child in ("Ayesha", "Bilal"):
        for question in ("happy", "healthy", "safe"):
            page.get_by_label(f"Does {child} feel {question}?").select_option("yes")
    page.get_by_label(
        "Family feedback: how helpful was early help? (1 to 5)"
    ).select_option("5")
    page.screenshot(path=str(SCREENSHOTS / "case-06-close.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_role("button", name="Close the case").click()
    summary = page.locator(".govuk-error-summary")
    assert "Confirm that you have checked the plan's open actions" in (
        summary.inner_text()
    )
    assert not CaseClosure.objects.exists()
    page.get_by_label("I have checked the open actions in the plan").check()
    page.get_by_role("button", name="Close the case").click()
    assert "Case closed" in page.content()
    closure = CaseClosure.objects.get()
    assert closure.reason == "outcomes_met" and closure.family_feedback_score == 5
    case.refresh_from_db()
    assert case.status == "closed"
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Stepped up to children's social care by" in timeline, timeline
    assert "Children's social care decided:" in timeline, timeline
    page.screenshot(path=str(SCREENSHOTS / "case-07-closed.png"), full_page=True)

    # After closure the step-up page keeps the history but takes no new step-up.
    page.goto(f"{case_url}step-up/")
    assert page.get_by_role("button", name="Record the step-up").count() == 0
    assert "This case is closed" in page.get_by_test_id("closed").inner_text()
    assert "Ayesha Khan" in page.get_by_test_id("referrals").inner_text()
    assert page.get_by_label("Outcome for Ayesha").input_value() == (
        "nfa_returned_to_early_help"
    )
    page.screenshot(
        path=str(SCREENSHOTS / "case-08-step-up-closed.png"), full_page=True
    )
