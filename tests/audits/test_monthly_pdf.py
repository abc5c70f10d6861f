"""The monthly audit PDF: the beat job on the 1st and on demand, one report per
month however often it is asked for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from accounts.roles import Role
from audits.models import AuditReport
from audits.monthly import audit_report_build, audit_report_request
from audits.tasks import audit_report_monthly
from core.periods import Month
from tests.factories import UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


def test_the_beat_job_is_scheduled_for_the_first_of_the_month():
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-audit-report"]
    assert entry["task"] == "audits.tasks.audit_report_monthly"
    schedule = entry["schedule"]
    assert schedule.day_of_month == {1}
    assert settings.CELERY_TIMEZONE == "Europe/London"


def test_the_job_makes_last_months_report_once(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(
        "audits.tasks.timezone.now",
        lambda: dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_report_monthly() == "2026-11"
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_report_monthly() == "2026-11"
    (job,) = AuditReport.objects.all()
    assert job.period == "2026-11" and job.status == "done"
    first_pdf = bytes(job.pdf)
    generated = job.generated_at
    # A redelivered build task leaves the finished report alone.
    assert audit_report_build(report_id=job.pk) is False
    job.refresh_from_db()
    assert bytes(job.pdf) == first_pdf and job.generated_at == generated


def test_a_failed_report_can_be_asked_for_again(django_capture_on_commit_callbacks):
    job = AuditReport.objects.create(period="2026-10", status="failed", error="x")
    with django_capture_on_commit_callbacks(execute=True):
        audit_report_request(period=Month(2026, 10), actor=None)
    job.refresh_from_db()
    assert job.status == "done" and job.error == ""


def test_on_demand_from_the_report_page_with_progress_and_download(
    client, django_capture_on_commit_callbacks
):
    lead = UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None)
    sign_in_verified(client, lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/audits/reports/pdf/", {"month": "2026-10"})
    assert response.status_code == 302
    assert response["Location"] == "/audits/reports/pdf/2026-10/status/"
    status = client.get(
        "/audits/reports/pdf/2026-10/status/", HTTP_ACCEPT="application/json"
    ).json()
    assert status == {"period": "2026-10", "status": "done", "progress": 100}
    download = client.get("/audits/reports/pdf/2026-10/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert (
        b"".join(
            download.streaming_content if download.streaming else [download.content]
        )[:5]
        == b"%PDF-"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/audits/reports/pdf/", {"month": "2026-10"})
    assert AuditReport.objects.count() == 1
    for bad in ("October", "2999-01"):
        response = client.post("/audits/reports/pdf/", {"month": bad})
        assert response.status_code == 302 and AuditReport.objects.count() == 1


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PRACTITIONER, Role.ADMINISTRATOR])
def test_others_cannot_ask_for_or_download_the_pdf(client, role):
    AuditReport.objects.create(period="2026-10", status="done", pdf=b"%PDF-1.7")
    user = UserFactory(
        role=role, localities=["erdington"] if role == Role.PRACTITIONER else None
    )
    sign_in_verified(client, user)
    assert client.post("/audits/reports/pdf/", {"month": "2026-09"}).status_code == 404
    assert client.get("/audits/reports/pdf/2026-10/").status_code == 404
    assert client.get("/audits/reports/").status_code == 404
    assert AuditReport.objects.count() == 1


def test_run_audit_report_makes_each_months_report_once(monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    monkeypatch.setattr(
        "audits.monthly.render_pdf_from_html", lambda html, **kwargs: b"%PDF-1.7 tiny"
    )
    out = StringIO()
    call_command("run_audit_report", "--period=2026-11", "--months=3", stdout=out)
    assert out.getvalue().splitlines() == [
        "2026-09: Ready",
        "2026-10: Ready",
        "2026-11: Ready",
    ]
    call_command("run_audit_report", "--period=2026-11", "--months=3", stdout=out)
    reports = AuditReport.objects.order_by("period")
    assert [r.period for r in reports] == ["2026-09", "2026-10", "2026-11"]
    assert all(r.status == "done" and bytes(r.pdf) for r in reports)
