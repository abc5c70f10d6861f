"""Jobs that recover when their worker is killed (QUALITY §3): the scorecard run
and the audit report, each finished exactly once by a real worker after the
one running it was SIGKILLed.

The kill is made deterministic by a table lock the test holds: the job claims
its row, then blocks on the locked table at a known step, and the test kills
the process that holds the job's lease (the pid is in the lease owner)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audits.models import AuditReport, ReportStatus
from audits.monthly import audit_reports_reap
from audits.tasks import audit_report_build
from core.periods import Month
from scorecard.models import Release, ReleaseStatus, Value
from scorecard.services import scorecard_run, scorecard_runs_reap
from scorecard.tasks import scorecard_compute_task

PERIOD = Month(2026, 10)
# Short leases in the workers under test, so a killed run lapses in seconds.
WORKER_ENV = {"JOB_LEASE_SECONDS": "3"}


def wait_for(check: Callable[[], object], what: str, workers=(), seconds=90):
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        for worker in workers:
            assert worker.poll() is None, worker.output()
        logs = "\n".join(w.output() for w in workers)
        assert time.monotonic() < deadline, f"timed out waiting for {what}\n{logs}"
        time.sleep(0.1)


def lease_pid(job) -> int:
    return int(job.lease_owner.split(":")[1])


def new_release() -> Release:
    return Release.objects.create(
        period=str(PERIOD),
        started_at=timezone.now(),
        code_version="test",
        lease_until=timezone.now() + timedelta(minutes=1),
    )


def start_scorecard(release: Release) -> None:
    scorecard_compute_task.delay(release_id=release.pk)


def start_audit_report(report: AuditReport) -> None:
    audit_report_build.delay(report_id=report.pk)


# Each job: how to make its row, queue it, the table it blocks on after taking
# its lease, and the progress it shows there.
JOBS = {
    "scorecard": (new_release, start_scorecard, "scorecard_value", 90),
    "audit-report": (
        lambda: AuditReport.objects.create(
            period=str(PERIOD), lease_until=timezone.now() + timedelta(minutes=1)
        ),
        start_audit_report,
        "audits_caseaudit",
        5,
    ),
}


def blocked_job(kind, job, workers, *, at_progress):
    """Queue the job (committed) while its table is locked, in the caller's
    transaction; return it once a worker holds its lease and is stopped at the
    known step (the lock still held)."""
    _, start, table, _ = JOBS[kind]
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    start(job)
    return wait_for(
        lambda: (
            type(job)
            .objects.filter(pk=job.pk, progress=at_progress)
            .exclude(lease_owner="")
            .first()
        ),
        f"{kind} to take its lease",
        workers,
    )


def assert_finished_once(kind: str, job, workers) -> None:
    model = type(job)
    done = ReleaseStatus.DONE if kind == "scorecard" else ReportStatus.DONE
    finished = wait_for(
        lambda: model.objects.filter(pk=job.pk, status=done).first(),
        f"{kind} to finish",
        workers,
    )
    assert finished.lease_owner == "" and finished.lease_until is None
    if kind == "scorecard":
        assert finished.progress == 100
        values = Value.objects.filter(release=finished)
        reference = scorecard_run(period=PERIOD)
        assert values.count() == reference.values.count() > 0
        assert values.values("ref", "locality").distinct().count() == values.count()
    else:
        assert AuditReport.objects.filter(period=str(PERIOD)).count() == 1
        assert bytes(finished.pdf).startswith(b"%PDF")


@pytest.mark.parametrize("kind", sorted(JOBS))
def test_a_job_whose_worker_process_is_killed_is_finished_once(
    real_celery_workers, kind
):
    """The process running the job is SIGKILLed: the worker's master rejects
    the task (reject_on_worker_lost), it is delivered again to a new process,
    which waits for the dead run's lease to lapse and takes the run over."""
    worker = real_celery_workers(pool="prefork", **WORKER_ENV)
    at_progress = JOBS[kind][3]
    job = JOBS[kind][0]()
    with transaction.atomic():
        job = blocked_job(kind, job, [worker], at_progress=at_progress)
        os.kill(lease_pid(job), signal.SIGKILL)
    assert_finished_once(kind, job, [worker])
    assert "WorkerLostError" in worker.output()


@pytest.mark.parametrize("kind", sorted(JOBS))
def test_a_job_whose_whole_worker_is_killed_is_taken_over_by_the_reaper(
    real_celery_workers, kind
):
    """The whole worker is SIGKILLed, so nothing gives its task back before
    the broker's visibility timeout: the reaper queues the lapsed run again and
    a new worker finishes it once."""
    first = real_celery_workers(pool="solo", **WORKER_ENV)
    at_progress = JOBS[kind][3]
    job = JOBS[kind][0]()
    with transaction.atomic():
        job = blocked_job(kind, job, [first], at_progress=at_progress)
        assert lease_pid(job) == first.pid
        first.kill()
        first.wait()
    reap = scorecard_runs_reap if kind == "scorecard" else audit_reports_reap
    assert reap() == []  # its lease is still alive: left alone
    wait_for(
        lambda: type(job).objects.filter(pk=job.pk, lease_until__lte=timezone.now()),
        "the dead run's lease to lapse",
    )
    second = real_celery_workers(pool="solo", **WORKER_ENV)
    assert reap() == [job.pk]
    assert_finished_once(kind, job, [second])
    # The killed worker's message stays unacknowledged until the visibility
    # timeout: drop it, so no later test's worker receives it.
    redis.from_url(settings.CELERY_BROKER_URL).delete("unacked", "unacked_index")
