"""Every section of a monthly audit report counts only what happened by the end
of the report's month in Europe/London: the PDF (month, half year, financial
year, by locality, by type, themes, actions) and the report page."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.roles import Role
from audits.models import AuditAction, AuditAnswer, AuditReport, CaseAudit
from audits.monthly import audit_report_context, audit_report_request
from audits.reports import actions_open, actions_open_counts
from core.periods import Month
from localities.models import Locality
from tests.audits.factories import auditor, questions
from tests.factories import CaseFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")

# (report month, 23:30 on its last day, 00:30 on the 1st after, UTC offset):
# 31 May is on British Summer Time, 30 November on Greenwich Mean Time. (31
# October 2026 is already GMT: the clocks go back on the 25th.)
CASES = [
    pytest.param(
        (
            Month(2026, 5),
            dt.datetime(2026, 5, 31, 23, 30, tzinfo=LONDON),
            dt.datetime(2026, 6, 1, 0, 30, tzinfo=LONDON),
            dt.timedelta(hours=1),
        ),
        id="bst",
    ),
    pytest.param(
        (
            Month(2026, 11),
            dt.datetime(2026, 11, 30, 23, 30, tzinfo=LONDON),
            dt.datetime(2026, 12, 1, 0, 30, tzinfo=LONDON),
            dt.timedelta(0),
        ),
        id="gmt",
    ),
]


def audit(at: dt.datetime, grade: str, weak_question) -> CaseAudit:
    """A finalised audit in Erdington with one answer graded below Good."""
    erdington = Locality.objects.get(slug="erdington")
    case: Any = CaseFactory(locality=erdington)
    case_audit = CaseAudit.objects.create(
        case=case,
        locality=erdington,
        type="monthly_citywide",
        auditor=auditor(),
        assigned_at=at - dt.timedelta(days=3),
        status="finalised",
        grade_id=grade,
        final_grade_id=grade,
        finalised_at=at,
    )
    AuditAnswer.objects.create(
        audit=case_audit, question=weak_question, grade_id="requires_improvement"
    )
    return case_audit


@pytest.fixture
def edge(request):
    month, inside, outside, offset = request.param
    assert inside.utcoffset() == offset and outside.utcoffset() == offset
    assert Month.of(inside) == month and Month.of(outside) == month.plus(1)
    q_in, q_out = questions()[:2]
    # Inside: Outstanding, weak on the first question. Outside: Inadequate,
    # weak on the second. Any section counting the second is wrong.
    audit(inside, "outstanding", q_in)
    audit(outside, "inadequate", q_out)
    return month, q_in, q_out


def counts(dist) -> dict[str, int]:
    return {row.code: row.count for row in dist.rows}


def erdington(groups):
    return counts(next(d for d in groups if d.title == "Erdington"))


def monthly_citywide(groups):
    return counts(next(d for d in groups if d.title == "Monthly city-wide"))


def assert_inside_only(c: dict[str, int]) -> None:
    assert c["outstanding"] == 1 and c["inadequate"] == 0, c


@pytest.mark.parametrize("edge", CASES, indirect=True)
def test_every_section_of_the_pdf_counts_up_to_the_months_end(edge):
    month, q_in, q_out = edge
    context = audit_report_context(month)
    labels = [p.label for p, _dist in context["overall"]]
    assert len(labels) == 3  # the month, its half year and its financial year
    for _period, dist in context["overall"]:
        assert_inside_only(counts(dist))
        assert dist.total == 1
    assert_inside_only(erdington(context["by_locality"]))
    assert_inside_only(monthly_citywide(context["by_type"]))
    assert_inside_only(erdington(context["half_by_locality"]))
    themed = {t.question for t in context["themes"]}
    assert q_in.text in themed and q_out.text not in themed
    assert all(p.until == month.end for p, _dist in context["overall"])


def test_the_half_year_and_year_of_november_are_to_date():
    context = audit_report_context(Month(2026, 11))
    labels = [p.label for p, _dist in context["overall"]]
    assert labels == [
        "November 2026",
        "October 2026 to November 2026 (half year to date)",
        "April 2026 to November 2026 (financial year to date)",
    ]


@pytest.mark.parametrize("edge", CASES, indirect=True)
@pytest.mark.parametrize("kind", ["month", "half_year", "year"])
def test_every_section_of_the_page_counts_up_to_the_chosen_months_end(
    client, edge, kind
):
    month, q_in, q_out = edge
    sign_in_verified(client, UserFactory(role=Role.PERFORMANCE_LEAD))
    response = client.get("/audits/reports/", {"month": str(month), "kind": kind})
    assert response.status_code == 200
    context = response.context
    assert_inside_only(counts(context["overall"]))
    assert_inside_only(erdington(context["by_locality"]))
    assert_inside_only(monthly_citywide(context["by_type"]))
    themed = {t.question for t in context["themes"]}
    assert q_in.text in themed and q_out.text not in themed
    last = month.last_day
    assert f"up to the end of {last.day} {last:%B %Y}, UK time" in (
        response.content.decode()
    )


@pytest.mark.parametrize("edge", CASES[1:], indirect=True)
def test_the_pdf_for_november_leaves_out_the_audit_of_1_december(
    edge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        audit_report_request(period=Month(2026, 11), actor=None)
    pdf = bytes(AuditReport.objects.get(period="2026-11").pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "October 2026 to November 2026 (half year to date)" in " ".join(text.split())
    grand_total = next(
        line.split() for line in text.splitlines() if "Grand Total" in line
    )
    # Month, half year and financial year: one audit each, not two.
    assert grand_total[2:] == ["1", "100.00%"] * 3, text
    assert "up to the end of 30 November 2026, UK time" in " ".join(text.split())


def test_a_future_month_on_the_page_is_refused_with_a_message(client):
    sign_in_verified(client, UserFactory(role=Role.PERFORMANCE_LEAD))
    response = client.get("/audits/reports/", {"month": "2999-01", "kind": "month"})
    assert response.status_code == 200
    assert "Choose a month that has already started" in response.content.decode()


def test_the_reports_months_are_a_list_newest_first_sent_as_yyyy_mm(client):
    sign_in_verified(client, UserFactory(role=Role.PERFORMANCE_LEAD))
    this_month = Month.of(timezone.localdate())
    page = client.get("/audits/reports/").content.decode()
    filter_select = re.search(
        r'<select[^>]*name="month"[^>]*>(.*?)</select>', page, re.S
    )
    assert filter_select is not None
    values = re.findall(r'<option value="([^"]*)"', filter_select.group(1))
    assert values[:2] == [str(this_month), str(this_month.plus(-1))]
    assert len(values) == 36
    assert f'<option value="{this_month.plus(-1)}" selected>' in filter_select.group(1)
    # The monthly PDF's month too: last month chosen.
    pdf = re.search(r'<select[^>]*id="pdf-month"[^>]*>(.*?)</select>', page, re.S)
    assert pdf is not None
    assert f'<option value="{this_month.plus(-1)}" selected>' in pdf.group(1)
    # An address naming a month before the list keeps it chosen.
    page = client.get("/audits/reports/", {"month": "2019-03"}).content.decode()
    assert '<option value="2019-03" selected>March 2019</option>' in page
    junk = client.get("/audits/reports/", {"month": "March"}).content.decode()
    assert "Select one of the options given for the month" in junk


def action(created: dt.datetime, due: dt.date, done: dt.datetime | None = None):
    case: Any = CaseFactory()
    owner: Any = UserFactory(role=Role.PRACTITIONER)
    case_audit = CaseAudit.objects.create(
        case=case,
        locality=Locality.objects.get(slug="erdington"),
        type="monthly_citywide",
        auditor=auditor(),
        assigned_at=created,
    )
    return AuditAction.objects.create(
        audit=case_audit,
        what="Record the child's voice",
        owner=owner,
        due_on=due,
        status="done" if done else "open",
        done_at=done,
        created_at=created,
    )


def at(day: int, month: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def test_actions_are_open_and_overdue_as_at_the_end_of_the_month(client):
    """Open: added before the month's end and not done by it. Overdue: open
    then and due on or before the month's last day."""
    late_done = action(at(10, 11, 9), dt.date(2026, 11, 20), done=at(3, 12, 9))
    due_last_day = action(at(10, 11, 9), dt.date(2026, 11, 30))
    due_next_day = action(at(10, 11, 9), dt.date(2026, 12, 1))
    action(at(10, 11, 9), dt.date(2026, 11, 20), done=at(30, 11, 23, 30))  # done
    action(at(1, 12, 0, 30), dt.date(2026, 11, 25))  # added after the month
    actions = actions_open(as_of=Month(2026, 11).end)
    assert {a.pk for a in actions} == {late_done.pk, due_last_day.pk, due_next_day.pk}
    assert actions_open_counts(as_of=Month(2026, 11).end) == (3, 2)

    context = audit_report_context(Month(2026, 11))
    assert (context["actions_open"], context["actions_overdue"]) == (3, 2)
    sign_in_verified(client, UserFactory(role=Role.PERFORMANCE_LEAD))
    page = client.get("/audits/reports/", {"month": "2026-11"})
    assert (page.context["actions_open"], page.context["actions_overdue"]) == (3, 2)
    text = " ".join(page.content.decode().split())
    assert "at the end of November 2026: open means added by then" in text
    assert "due on or before 30 November 2026" in text


def test_actions_for_the_running_month_are_as_of_now(monkeypatch):
    """While the month runs, the bound is the present: an action due today is
    not yet overdue, one done already is not open."""
    now = at(15, 12, 12)
    monkeypatch.setattr("audits.monthly.clock.now", lambda: now)
    action(at(10, 12, 9), dt.date(2026, 12, 15))  # due today: open, not overdue
    action(at(10, 12, 9), dt.date(2026, 12, 14))  # overdue
    action(at(10, 12, 9), dt.date(2026, 12, 14), done=at(15, 12, 11))  # done
    context = audit_report_context(Month(2026, 12))
    assert (context["actions_open"], context["actions_overdue"]) == (2, 1)
    assert context["period"].counted_to == "up to now (December 2026 is not over)"
