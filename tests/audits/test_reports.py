"""The final-grade distribution (API, HTML report, PDF), half-up percentages and
the Grand Total row; moderated grades count."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from audits.models import CaseAudit
from audits.reports import grade_distribution, percent
from core.periods import Month
from localities.models import Locality
from tests.audits.factories import auditor
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/audits/grade-distribution/"


def finalised(
    grade,
    at,
    *,
    n=1,
    locality="erdington",
    audit_type="monthly_citywide",
    moderated=None,
):
    loc = Locality.objects.get(slug=locality)
    case = CaseFactory(locality=loc)
    who = auditor()
    CaseAudit.objects.bulk_create(
        [
            CaseAudit(
                case=case,
                locality=loc,
                type=audit_type,
                auditor=who,
                assigned_at=at,
                status="finalised",
                grade_id=grade,
                moderated_grade_id=moderated,
                moderation_reason="Moderated" if moderated else "",
                final_grade_id=moderated or grade,
                finalised_at=at,
            )
            for _ in range(n)
        ]
    )


@pytest.fixture
def seed_001():
    """Seed 001's published mixes: 61 / 49 / 11 in April–September 2020 and
    20 / 25 / 3 in October 2020–March 2021."""
    may = dt.datetime(2020, 5, 14, 11, 0, tzinfo=dt.UTC)
    finalised("requires_improvement", may, n=61)
    finalised("good", may, n=49, locality="ladywood")
    # 22:30 UTC is 23:30 on 30 September in London (BST): inside the half year.
    finalised("outstanding", dt.datetime(2020, 9, 30, 22, 30, tzinfo=dt.UTC), n=11)
    november = dt.datetime(2020, 11, 3, 10, 0, tzinfo=dt.UTC)
    finalised("requires_improvement", november, n=20)
    finalised("good", november, n=25, audit_type="themed")
    finalised("outstanding", dt.datetime(2021, 3, 31, 23, 30, tzinfo=dt.UTC), n=3)
    # 23:30 UTC on 31 March 2021 is 00:30 BST on 1 April: outside the half year.
    finalised("outstanding", dt.datetime(2021, 3, 31, 22, 30, tzinfo=dt.UTC), n=3)


def reader(role=Role.PERFORMANCE_LEAD):
    user = UserFactory(role=role, organisation=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


def test_percentages_are_rounded_half_up_to_two_places():
    assert str(percent(61, 121)) == "50.41"
    assert str(percent(1, 8)) == "12.50"
    assert str(percent(1, 200)) == "0.50"
    assert str(percent(1, 800)) == "0.13"  # 0.125 rounds up, not to even
    assert str(percent(0, 0)) == "0.00"


def test_the_api_gives_seed_001s_figures(seed_001):
    client = reader()
    body = client.get(URL, {"from": "2020-04", "to": "2020-09"}).json()
    assert body == {
        "total": 121,
        "rows": [
            {"grade": "outstanding", "count": 11, "percent": "9.09"},
            {"grade": "good", "count": 49, "percent": "40.50"},
            {"grade": "requires_improvement", "count": 61, "percent": "50.41"},
            {"grade": "inadequate", "count": 0, "percent": "0.00"},
        ],
    }
    body = client.get(URL, {"from": "2020-10", "to": "2021-03"}).json()
    assert body["total"] == 48
    assert [r["percent"] for r in body["rows"]] == ["6.25", "52.08", "41.67", "0.00"]
    assert [r["count"] for r in body["rows"]] == [3, 25, 20, 0]


def test_the_api_filters_by_locality_and_type_and_answers_zero_rows(seed_001):
    client = reader()
    body = client.get(
        URL, {"from": "2020-04", "to": "2020-09", "locality": "ladywood"}
    ).json()
    assert body["total"] == 49 and body["rows"][1]["percent"] == "100.00"
    body = client.get(
        URL, {"from": "2020-10", "to": "2021-03", "type": "themed"}
    ).json()
    assert body["total"] == 25
    body = client.get(URL, {"from": "2019-01", "to": "2019-12"}).json()
    assert body["total"] == 0
    assert [r["percent"] for r in body["rows"]] == ["0.00"] * 4


@pytest.mark.parametrize(
    "params, field",
    [
        ({"to": "2020-09"}, "from"),
        ({"from": "2020-13", "to": "2020-09"}, "from"),
        ({"from": "2020-09", "to": "2020-04"}, "to"),
        ({"from": "2020-04", "to": "2020-09", "locality": "atlantis"}, "locality"),
        ({"from": "2020-04", "to": "2020-09", "type": "annual"}, "type"),
        ({"from": "2020-04", "to": "2020-09", "type": ""}, "type"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(params, field):
    response = reader().get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.PERFORMANCE_LEAD, 200),
        (Role.LOCALITY_MANAGER, 200),
        (Role.AUDITOR, 404),
        (Role.PRACTITIONER, 404),
        (Role.REQUESTER, 404),
        (Role.ADMINISTRATOR, 404),
    ],
)
def test_who_reads_the_distribution(role, status):
    response = reader(role).get(URL, {"from": "2020-04", "to": "2020-09"})
    assert response.status_code == status


def test_a_moderated_grade_counts_not_the_auditors():
    may = dt.datetime(2024, 5, 2, 10, 0, tzinfo=dt.UTC)
    finalised("good", may, moderated="requires_improvement")
    finalised("good", may)
    dist = grade_distribution(first=Month(2024, 5), until=Month(2024, 5).end)
    counts = {r.code: r.count for r in dist.rows}
    assert counts["good"] == 1 and counts["requires_improvement"] == 1


def test_the_html_report_shows_the_percentages_and_grand_total(client, seed_001):
    from tests.helpers import sign_in_verified

    lead = UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None)
    sign_in_verified(client, lead)
    page = client.get(
        "/audits/reports/", {"month": "2020-09", "kind": "half_year"}
    ).content.decode()
    assert "April 2020 to September 2020" in page
    for text in ("50.41%", "40.50%", "9.09%", "Grand Total", "100.00%"):
        assert text in page, text
    page = client.get(
        "/audits/reports/", {"month": "2021-03", "kind": "half_year"}
    ).content.decode()
    for text in ("41.67%", "52.08%", "6.25%", "100.00%"):
        assert text in page, text


def test_the_pdf_text_has_the_figures(seed_001, django_capture_on_commit_callbacks):
    from audits.models import AuditReport
    from audits.monthly import audit_report_request

    with django_capture_on_commit_callbacks(execute=True):
        audit_report_request(period=Month(2020, 9), actor=None)
    job = AuditReport.objects.get(period="2020-09")
    assert job.status == "done" and job.progress == 100
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=bytes(job.pdf),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Multi-agency audit report: September 2020" in text
    half_year = text[text.index("Apr 2020 to Sep 2020") :]
    for figure in ("50.41%", "40.50%", "9.09%", "Grand Total", "100.00%"):
        assert figure in half_year, figure
    assert io.BytesIO(bytes(job.pdf)).read(5) == b"%PDF-"
    with django_capture_on_commit_callbacks(execute=True):
        audit_report_request(period=Month(2021, 3), actor=None)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=bytes(AuditReport.objects.get(period="2021-03").pdf),
        capture_output=True,
        check=True,
    ).stdout.decode()
    half_year = text[text.index("Oct 2020 to Mar 2021") :]
    for figure in ("41.67%", "52.08%", "6.25%", "Grand Total", "100.00%"):
        assert figure in half_year, figure


def test_the_schema_documents_the_grade_distribution():
    schema = reader().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/audits/grade-distribution/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"from", "to", "locality", "type"} <= names


@pytest.mark.parametrize(
    ("first", "last"), [("2020-04", "2020-09"), ("2020-10", "2021-03")]
)
def test_the_reports_distributions_come_from_one_count_and_match_each_on_its_own(
    seed_001, first, last
):
    """The report page's three tables (all audits, by locality, by type) from
    one grouped count are what each function gives alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audits.reports import (
        distribution_by_locality,
        distribution_by_type,
        report_distributions,
    )

    finalised(
        "good",
        dt.datetime(2020, 6, 1, 9, 0, tzinfo=dt.UTC),
        n=4,
        locality="ladywood",
        audit_type="themed",
    )
    start, until = Month.parse(first), Month.parse(last).end
    with CaptureQueriesContext(connection) as ctx:
        overall, by_locality, by_type = report_distributions(start, until=until)
    counts = [q for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1
    assert overall == grade_distribution(first=start, until=until)
    assert by_locality == distribution_by_locality(start, until=until)
    assert by_type == distribution_by_type(start, until=until)
    assert (
        overall.total
        == sum(d.total for d in by_locality)
        == sum(d.total for d in by_type)
    )
