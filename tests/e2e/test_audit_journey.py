"""An audit round end to end in Chromium: a performance lead sets it up and
draws the sample, an auditor reads the case and grades it, the moderator
changes the grade with a reason, the round closes, and the report and its PDF
show the final grade."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from audits.models import AuditQuestion, CaseAudit
from localities.models import Locality
from tests.audits.factories import auditor
from tests.e2e.conftest import SCREENSHOTS, axe_violations, watch_with_axe
from tests.e2e.dates import fill_date
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import CaseFactory, PersonFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def as_user(browser, base: str, email: str, watched: list):
    """A signed-in page of its own; every address it loads is checked with axe
    (the failures go into ``watched``)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    watched.append(watch_with_axe(browser, page))
    sign_in_with_browser(page, base, email)
    return page


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_round_grading_moderation_and_report(live_server, browser, real_celery_worker):
    base = live_server.url
    watched: list[dict[str, list[str]]] = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    case = CaseFactory(
        locality=Locality.objects.get(slug="erdington"),
        opened_at=dt.datetime(2026, 5, 10, 10, 0, tzinfo=dt.UTC),
    )
    PersonFactory(family=case.family, given_name="Amir")
    lead = UserFactory(
        role=Role.PERFORMANCE_LEAD, organisation=None, full_name="Pat Lead"
    )
    health = auditor("Health", full_name="Hana Auditor")
    council = auditor("Council", full_name="Mo Moderator")

    page = as_user(browser, base, lead.email, watched)
    page.goto(f"{base}/audits/rounds/new/")
    page.get_by_label("Title").fill("Monthly city-wide audit, May 2026")
    page.get_by_label("Monthly city-wide").check()
    fill_date(page, "Period starts", dt.date(2026, 5, 1))
    fill_date(page, "Period ends", dt.date(2026, 5, 31))
    page.get_by_label("Erdington").check()
    page.get_by_label("Cases to draw from each locality").fill("2")
    fill_date(page, "Audits due by", timezone.localdate() + dt.timedelta(days=30))
    page.get_by_label("Auditors' e-mail addresses").fill(health.email)
    page.get_by_label("Moderator's e-mail address").fill(council.email)
    page.get_by_role("button", name="Set up the round").click()
    page.get_by_role("button", name="Draw the sample and open the round").click()
    assert "1 case drawn. The round is open." in page.content()
    page.screenshot(path=str(SCREENSHOTS / "audit-01-round.png"), full_page=True)
    cookies = page.context.cookies()
    assert axe_violations(browser, page.url, cookies) == []
    audit = CaseAudit.objects.get(case=case)

    grader = as_user(browser, base, health.email, watched)
    grader.goto(f"{base}/audits/")
    # The auditor, who may read the case while the round is open, sees the
    # family's name; the performance lead saw its number only.
    grader.get_by_role("link", name="Khan family").click()
    grader.get_by_role("link", name="Read the case file").click()
    assert "Amir" in grader.content()
    grader.go_back()
    for q in AuditQuestion.objects.filter(domain__template=audit.template):
        grader.locator(f'input[name="q{q.pk}"][value="good"]').check()
    grader.locator('input[name="grade"][value="good"]').check()
    grader.get_by_label("Strengths").fill("Amir's own words shape the plan.")
    grader.get_by_label("Areas for improvement").fill("The second review slipped.")
    grader.screenshot(path=str(SCREENSHOTS / "audit-02-grading.png"), full_page=True)
    assert axe_violations(browser, grader.url, grader.context.cookies()) == []
    grader.get_by_role("button", name="Submit for moderation").click()
    assert "Audit submitted for moderation" in grader.content()

    moderator = as_user(browser, base, council.email, watched)
    moderator.goto(f"{base}/audits/case-audits/{audit.pk}/")
    moderator.locator('input[name="grade"][value="requires_improvement"]').check()
    moderator.get_by_label("Reason for changing the grade").fill(
        "Drift between reviews was not challenged."
    )
    moderator.get_by_role("button", name="Finalise the audit").click()
    text = moderator.content()
    assert "Moderated grade" in text and "Drift between reviews" in text
    moderator.screenshot(
        path=str(SCREENSHOTS / "audit-03-moderated.png"), full_page=True
    )
    assert axe_violations(browser, moderator.url, moderator.context.cookies()) == []

    page.goto(f"{base}/audits/rounds/{audit.round_id}/")
    page.get_by_role("button", name="Close the round").click()
    assert "The auditors' access has ended" in page.content()
    assert grader.goto(f"{base}/cases/{case.pk}/").status == 404

    finalised = CaseAudit.objects.get(pk=audit.pk).finalised_at
    assert finalised is not None
    month = timezone.localtime(finalised).strftime("%Y-%m")
    page.goto(f"{base}/audits/reports/?month={month}&kind=month")
    assert "100.00%" in page.content() and "Requires Improvement" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "audit-04-report.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []
    assert [failures for failures in watched if failures] == []
    assert "Traceback" not in real_celery_worker.output()
