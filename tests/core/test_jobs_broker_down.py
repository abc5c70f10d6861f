"""Jobs asked for while the broker is away (QUALITY §3: nothing lost, nothing
doubled). The request that asks for a job is answered as usual and the job row
is saved with its queued lease; once that lease lapses the reaper queues the
job again, and it runs to the end once.

The broker here is a real one that cannot be reached (a closed port on
loopback), with tasks sent to it rather than run in-process; "the broker is
back" is the suite's usual in-process running of tasks."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.roles import Role
from audits import monthly
from audits.models import AuditReport, ReportStatus
from audits.tasks import audit_reports_reap_task
from core import jobs
from core.models import Notification
from core.periods import Month
from family_connect.models import FamilyConnectForm
from scorecard.models import Release, ReleaseStatus
from scorecard.services import scorecard_runs_reap
from tests.factories import UserFactory
from tests.family_connect.helpers import payload
from tests.family_connect.test_api import client_for
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _reset_producers(app: Any) -> None:
    # The app keeps its connection and producer pools for the broker it first
    # used: forget them so that the next message goes to the broker now set.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down() -> Iterator[None]:
    """Tasks go to a broker (no in-process running) that refuses connections."""
    from config.celery import app

    eager, url = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = f"redis://127.0.0.1:{_closed_port()}/0"
    _reset_producers(app)
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, url
        _reset_producers(app)


def broker_back() -> None:
    """The broker can take tasks again (run in-process, as everywhere else in
    the suite)."""
    from config.celery import app

    app.conf.task_always_eager = True


@pytest.fixture
def later(monkeypatch) -> Any:
    """Move the real clock (the one leases use) on by ``seconds``."""
    real_now = timezone.now

    def move(seconds: float) -> None:
        moved = real_now() + timedelta(seconds=seconds)
        monkeypatch.setattr(timezone, "now", lambda: moved)

    return move


@pytest.fixture
def sends(monkeypatch) -> list[tuple[str, int]]:
    """Every job task sent (or tried) by ``core.jobs.job_send``."""
    sent: list[tuple[str, int]] = []
    real = jobs.job_send

    def job_send(task: Any, pk: int, **kwargs: Any) -> None:
        sent.append((task.name, pk))
        real(task, pk, **kwargs)

    monkeypatch.setattr(jobs, "job_send", job_send)
    return sent


@pytest.fixture
def builds(monkeypatch) -> mock.Mock:
    """Counts the audit PDFs rendered (one per build run to its end)."""
    spy = mock.Mock(wraps=monthly.render_pdf_from_html)
    monkeypatch.setattr(monthly, "render_pdf_from_html", spy)
    return spy


def lead(client) -> None:
    sign_in_verified(client, UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None))


def test_an_audit_report_asked_for_while_the_broker_is_down_is_run_once_by_the_reaper(
    client,
    broker_down,
    later,
    sends,
    builds,
    caplog,
    django_capture_on_commit_callbacks,
):
    lead(client)
    with (
        caplog.at_level(logging.WARNING, logger="core.jobs"),
        django_capture_on_commit_callbacks(execute=True) as queued,
    ):
        response = client.post("/audits/reports/pdf/", {"month": "2026-10"})

    # The page answers as usual; the job is saved, queued, with its queued lease.
    assert response.status_code == 302
    assert response["Location"] == "/audits/reports/pdf/2026-10/status/"
    (report,) = AuditReport.objects.all()
    assert len(queued) == 1
    assert sends == [("audits.tasks.audit_report_build", report.pk)]
    assert "the reaper will queue it" in caplog.text
    assert report.status == ReportStatus.QUEUED and report.lease_owner == ""
    assert report.lease_until is not None
    term = timedelta(seconds=settings.JOB_LEASE_SECONDS)
    assert timezone.now() < report.lease_until <= timezone.now() + term
    status = client.get(
        "/audits/reports/pdf/2026-10/status/", HTTP_ACCEPT="application/json"
    )
    assert status.json() == {"period": "2026-10", "status": "queued", "progress": 0}

    # While the queued lease lasts the reaper leaves the job to its message.
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_reports_reap_task() == []
    assert len(sends) == 1

    # The broker is back, the lease has lapsed: the reaper sends the job once,
    # and it runs to the end once.
    broker_back()
    later(settings.JOB_LEASE_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_reports_reap_task() == [report.pk]
    assert len(sends) == 2 and sends[1] == sends[0]
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert bytes(report.pdf).startswith(b"%PDF") and report.lease_owner == ""
    assert builds.call_count == 1

    # Nothing is left to reap, and the first message, should it come after all,
    # finds the report made.
    later(2 * settings.JOB_LEASE_SECONDS)
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_reports_reap_task() == []
    assert monthly.audit_report_build(report_id=report.pk) is False
    assert builds.call_count == 1 and len(sends) == 2
    assert AuditReport.objects.count() == 1


def test_a_reaper_sweep_while_the_broker_is_still_down_keeps_the_job_queued(
    broker_down, later, sends, builds, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = monthly.audit_report_request(period=Month(2026, 10), actor=None)
    first_lease = AuditReport.objects.get(pk=report.pk).lease_until
    assert first_lease is not None

    # The sweep finds the lapsed lease but cannot send either: it raises
    # nothing and gives the job a new queued lease.
    later(settings.JOB_LEASE_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_reports_reap_task() == [report.pk]
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and report.lease_until > first_lease
    assert len(sends) == 2 and builds.call_count == 0

    # The next sweep after that lease lapses, with the broker back, runs it.
    broker_back()
    later(2 * settings.JOB_LEASE_SECONDS + 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_reports_reap_task() == [report.pk]
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and builds.call_count == 1
    assert len(sends) == 3


def test_a_scorecard_run_asked_for_while_the_broker_is_down_is_run_by_the_reaper(
    client, broker_down, later, sends, django_capture_on_commit_callbacks
):
    lead(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/scorecard/run/", {"month": "2024-05"})
    (release,) = Release.objects.all()
    assert response.status_code == 302
    assert response["Location"] == f"/scorecard/runs/{release.pk}/"
    assert release.status == ReleaseStatus.RUNNING and release.lease_owner == ""
    assert release.lease_until is not None and not release.values.exists()
    assert len(sends) == 1

    broker_back()
    later(settings.JOB_LEASE_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert scorecard_runs_reap() == [release.pk]
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DONE and release.values.exists()
    assert len(sends) == 2 and Release.objects.count() == 1


def test_a_form_sent_while_the_broker_is_down_is_saved_with_its_e_mails_waiting(
    broker_down, django_capture_on_commit_callbacks
):
    requester = UserFactory(role=Role.REQUESTER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(requester).post(
            "/api/v1/family-connect/", payload(), format="json"
        )
    assert response.status_code == 201, response.content[:300]
    assert FamilyConnectForm.objects.count() == 1
    waiting = Notification.objects.filter(sent_at__isnull=True)
    assert waiting.exists()
