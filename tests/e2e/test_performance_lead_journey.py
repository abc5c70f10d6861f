"""A performance lead computes last month's scorecard on demand (a real Celery
worker does the work while the page shows progress), downloads the scorecard
PDF and CSV and the month's audit report PDF, and the test reads their text."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from audits.models import AuditGrade, AuditReport, CaseAudit
from core.periods import previous_month
from scorecard.models import Release
from tests.audits.factories import make_round
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import CaseFactory, FormFactory
from tests.scorecard.helpers import loc

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WAIT_MS = 90_000  # the worker computes while the pages refresh themselves


def pdf_text(download) -> str:
    """The PDF's text; the file is kept beside the screenshots for a look."""
    download.save_as(SCREENSHOTS / download.suggested_filename)
    reader = PdfReader(download.path())
    return "\n".join(page.extract_text() for page in reader.pages)


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_a_performance_lead_computes_the_scorecard_and_reads_the_pdfs(
    live_server, page, browser, real_celery_worker
):
    month = previous_month(timezone.localdate())
    received = dt.datetime(month.year, month.month, 10, 10, tzinfo=dt.UTC)
    for slug, count in (("erdington", 3), ("ladywood", 2)):
        for _ in range(count):
            FormFactory(received_at=received, locality=loc(slug))
    audit_round, lead, auditors, _moderator = make_round()
    case = CaseFactory(opened_at=received - dt.timedelta(days=90))
    good = AuditGrade.objects.get(code="good")
    CaseAudit.objects.create(
        round=audit_round,
        case=case,
        locality=case.locality,
        type=audit_round.type,
        template=audit_round.template,
        auditor=auditors[0],
        status="finalised",
        assigned_at=received,
        grade=good,
        final_grade=good,
        submitted_at=received,
        finalised_at=received + dt.timedelta(days=2),
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url

    sign_in_with_browser(page, base, lead.email)
    page.get_by_role("link", name="The scorecard: city and localities").click()
    page.get_by_label("Month").select_option(str(month))
    page.get_by_role("button", name="Show").click()
    assert f"No scorecard has been released for {month.label()} yet" in (page.content())
    cookies = page.context.cookies()
    assert axe_violations(browser, page.url, cookies) == []

    # Computed on the worker; the status page refreshes itself until released.
    page.get_by_role("button", name=f"Compute {month.label()}").click()
    assert page.title().startswith(f"Scorecard for {month.label()}, release")
    page.screenshot(path=str(SCREENSHOTS / "lead-01-run-status.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_role("button", name="See the scorecard").wait_for(timeout=WAIT_MS)
    release = Release.objects.get()
    assert release.status == "done"
    page.get_by_role("button", name="See the scorecard").click()
    assert f"Release {release.pk}, computed" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "lead-02-released.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []

    # The PDF is made on the worker too; its page shows the progress.
    page.get_by_role("button", name="Make the PDF (city and every locality)").click()
    assert page.title().startswith(f"Scorecard PDF for {month.label()}, release")
    page.screenshot(path=str(SCREENSHOTS / "lead-02b-pdf-status.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []
    pdf_button = page.get_by_role("button", name="Download the PDF")
    pdf_button.wait_for(timeout=WAIT_MS)
    with page.expect_download() as pdf:
        pdf_button.click()
    text = pdf_text(pdf.value)
    assert "Family Connect Forms received" in text
    assert "Erdington" in text and "Ladywood" in text
    assert month.first_day.strftime("%B %Y") in text
    page.get_by_role("link", name="Back to the scorecard").click()
    assert page.get_by_role(
        "link", name="Download the PDF (city and every locality)"
    ).is_visible()
    with page.expect_download() as export:
        page.get_by_role("link", name="Download the CSV").click()
    with open(export.value.path(), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    received_rows = {
        r["scope"]: r["value"]
        for r in rows
        if r["title"] == "Family Connect Forms received"
    }
    assert (received_rows["erdington"], received_rows["ladywood"]) == ("3", "2")

    # The month's audit report PDF, produced on the worker too.
    page.goto(f"{base}/audits/reports/?month={month}&kind=month")
    assert axe_violations(browser, page.url, cookies) == []
    page.get_by_label("Month", exact=True).last.select_option(str(month))
    page.get_by_role("button", name="Produce the PDF").click()
    assert page.title().startswith(f"Audit report for {month.label()}")
    page.screenshot(path=str(SCREENSHOTS / "lead-03-report-status.png"), full_page=True)
    assert axe_violations(browser, page.url, cookies) == []
    download_button = page.get_by_role("button", name="Download the PDF")
    download_button.wait_for(timeout=WAIT_MS)
    assert AuditReport.objects.get(period=str(month)).status == "done"
    with page.expect_download() as report:
        download_button.click()
    text = pdf_text(report.value)
    assert "Good" in text and month.first_day.strftime("%B %Y") in text
    assert "Traceback" not in real_celery_worker.output()
