"""Job leases (core.jobs) as the scorecard runs and the audit reports use them:
a run whose lease lapsed is taken over, never handed back as alive, and a run
that lost its lease can store nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from audits.models import AuditReport, ReportStatus
from audits.monthly import audit_report_request, audit_reports_reap
from core import jobs
from core.periods import Month
from scorecard.models import Release, ReleaseStatus
from scorecard.services import scorecard_run_scheduled, scorecard_runs_reap

pytestmark = pytest.mark.django_db

PERIOD = Month(2026, 10)
DEAD = {"lease_owner": "gone:4242:0", "lease_until": None}


def lease(seconds: int) -> dict:
    return {
        "lease_owner": "elsewhere:4242:abc",
        "lease_until": timezone.now() + timedelta(seconds=seconds),
    }


def running_release(**fields) -> Release:
    fields.setdefault("period", str(PERIOD))
    return Release.objects.create(started_at=timezone.now(), code_version="t", **fields)


def running_report(**fields) -> AuditReport:
    fields = {"period": str(PERIOD), "status": ReportStatus.RUNNING, **fields}
    return AuditReport.objects.create(progress=40, **fields)


def test_asking_again_for_a_report_whose_worker_died_takes_it_over(
    django_capture_on_commit_callbacks,
):
    report = running_report(**lease(-1))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        again = audit_report_request(period=PERIOD, actor=None)
    assert again.pk == report.pk and len(queued) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert bytes(report.pdf).startswith(b"%PDF") and report.lease_owner == ""


def test_asking_again_for_a_report_alive_in_a_worker_returns_it_as_it_is(
    django_capture_on_commit_callbacks,
):
    report = running_report(**lease(60))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        again = audit_report_request(period=PERIOD, actor=None)
    assert again.pk == report.pk and queued == []
    report.refresh_from_db()
    assert (report.status, report.progress) == (ReportStatus.RUNNING, 40)
    assert report.lease_owner == "elsewhere:4242:abc"


def test_the_scheduled_run_finishes_a_run_whose_worker_died():
    release = running_release(**DEAD)
    assert scorecard_run_scheduled(period=PERIOD).pk == release.pk
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DONE and release.values.exists()
    assert Release.objects.count() == 1


def test_the_scheduled_run_leaves_a_live_run_to_its_worker():
    release = running_release(**lease(60))
    with pytest.raises(jobs.JobBusy) as busy:
        scorecard_run_scheduled(period=PERIOD)
    assert 0 < busy.value.retry_in <= 60
    release.refresh_from_db()
    assert release.status == ReleaseStatus.RUNNING and not release.values.exists()


def test_a_run_that_lost_its_lease_can_neither_renew_nor_finish():
    release = running_release(**jobs.queued_lease())
    claimed = jobs.job_claim(Release, release.pk, finished=lambda r: False)
    assert claimed is not None
    _, first = claimed
    Release.objects.filter(pk=release.pk).update(lease_until=timezone.now())
    taken = jobs.job_claim(Release, release.pk, finished=lambda r: False)
    assert taken is not None and taken[1] != first
    with pytest.raises(jobs.JobLost):
        jobs.job_renew(Release, release.pk, first, progress=50)
    with pytest.raises(jobs.JobLost):
        jobs.job_finish(Release, release.pk, first, status=ReleaseStatus.DONE)
    release.refresh_from_db()
    assert (release.status, release.progress) == (ReleaseStatus.RUNNING, 0)
    assert release.lease_owner == taken[1]


@pytest.mark.parametrize(
    ("make", "reap", "model"),
    [
        (running_release, scorecard_runs_reap, Release),
        (running_report, audit_reports_reap, AuditReport),
    ],
    ids=["scorecard", "audit-report"],
)
def test_the_reaper_queues_again_only_runs_whose_lease_lapsed(
    make, reap, model, django_capture_on_commit_callbacks
):
    lapsed = make(**lease(-1))
    alive = make(period="2026-09", **lease(60))
    make(period="2026-08", status="done")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert reap() == [lapsed.pk]
    assert len(queued) == 1
    lapsed.refresh_from_db()
    # Queued again with a new lease, so the next sweep leaves it to its worker.
    assert lapsed.lease_owner == "" and not jobs.lease_lapsed(lapsed)
    assert model.objects.get(pk=alive.pk).lease_owner == "elsewhere:4242:abc"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert reap() == []
    assert queued == []


def test_the_reapers_run_every_few_minutes():
    schedule = settings.CELERY_BEAT_SCHEDULE
    tasks = {entry["task"]: entry["schedule"] for entry in schedule.values()}
    for task in (
        "scorecard.tasks.scorecard_runs_reap_task",
        "audits.tasks.audit_reports_reap_task",
    ):
        assert tasks[task] <= timedelta(seconds=settings.JOB_LEASE_SECONDS)
