"""The retention report: exactly the records whose period has ended, by the
rules an administrator sets (the purge and its dry run act on it)."""

from __future__ import annotations

import datetime as dt

import pytest

from privacy.models import RetentionRule
from privacy.retention import retention_due
from tests.factories import CaseFactory, FormFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
SIX_YEARS_AGO = dt.datetime(2020, 11, 30, 12, 0, tzinfo=dt.UTC)
THREE_YEARS_AGO = dt.datetime(2023, 11, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def records():
    expired = CaseFactory(status="closed", closed_at=SIX_YEARS_AGO - DAY)
    kept = CaseFactory(status="closed", closed_at=SIX_YEARS_AGO + DAY)
    still_open = CaseFactory(opened_at=SIX_YEARS_AGO - 400 * DAY)
    signposted = FormFactory(
        status="signposted", received_at=THREE_YEARS_AGO - DAY, reference="FC-OLD-0001"
    )
    recent = FormFactory(
        status="signposted", received_at=THREE_YEARS_AGO + DAY, reference="FC-NEW-0001"
    )
    allocated = FormFactory(
        status="allocated",
        received_at=THREE_YEARS_AGO - DAY,
        case=expired,
        reference="FC-ALL-0001",
    )
    waiting = FormFactory(received_at=THREE_YEARS_AGO - DAY, reference="FC-WAI-0001")
    return locals()


def test_the_report_lists_exactly_the_records_past_their_period(records):
    report = retention_due(NOW)
    assert [d.record for d in report.due] == [
        f"case {records['expired'].pk}",
        "FC-OLD-0001",
    ]
    case_due = report.due[0]
    assert case_due.since == dt.date(2020, 11, 29)
    assert case_due.kept_until == dt.date(2026, 11, 29)


def test_the_periods_are_the_administrators(records):
    RetentionRule.objects.filter(record_type="closed_case").update(keep_months=12)
    report = retention_due(NOW)
    assert report.count("closed_case") == 2  # the kept one is now past a year too
    assert report.count("form_not_allocated") == 1


def test_a_period_under_a_year_is_refused():
    from django.core.exceptions import ValidationError

    rule = RetentionRule.objects.get(record_type="form_not_allocated")
    rule.keep_months = 6
    with pytest.raises(ValidationError):
        rule.full_clean()
