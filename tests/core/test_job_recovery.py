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
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audits.models import AuditReport, ReportStatus
from audits.monthly import audit_reports_reap
from audits.tasks import audit_report_build
from core.jobs import queued_lease
from core.periods import local_date, previous_month
from scorecard.models import Release, ReleaseStatus, Value
from scorecard.services import scorecard_run, scorecard_runs_reap
from scorecard.tasks import scorecard_monthly

PERIOD = previous_month(local_date(timezone.now()))  # the monthly job's
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


def prepare_monthly_scorecard() -> Callable[[], object]:
    return scorecard_monthly.delay


def prepare_audit_report() -> Callable[[], object]:
    report = AuditReport.objects.create(period=str(PERIOD), **queued_lease())
    return lambda: audit_report_build.delay(report_id=report.pk)


# Each job: its model, how to prepare it (committed; returns how to queue it),
# the table it blocks on after taking its lease, and its progress there.
JOBS: dict[str, tuple[Any, Callable[[], Any], str, int]] = {
    "monthly-scorecard": (Release, prepare_monthly_scorecard, "scorecard_value", 90),
    "audit-report": (AuditReport, prepare_audit_report, "audits_caseaudit", 5),
}


def blocked_job(kind, start, workers):
    """Queue the job while its table is locked, in the caller's transaction;
    return its row once a worker holds its lease and is stopped at the known
    step (the lock still held)."""
    model, _, table, at_progress = JOBS[kind]
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    start()
    return wait_for(
        lambda: (
            model.objects.filter(period=str(PERIOD), progress=at_progress)
            .exclude(lease_owner="")
            .first()
        ),
        f"{kind} to take its lease",
        workers,
    )


def assert_finished_once(kind: str, job, workers) -> None:
    model = JOBS[kind][0]
    done = ReleaseStatus.DONE if model is Release else ReportStatus.DONE
    finished = wait_for(
        lambda: model.objects.filter(pk=job.pk, status=done).first(),
        f"{kind} to finish",
        workers,
    )
    assert finished.lease_owner == "" and finished.lease_until is None
    assert model.objects.filter(period=str(PERIOD)).count() == 1
    if model is Release:
        assert finished.progress == 100
        values = Value.objects.filter(release=finished)
        reference = scorecard_run(period=PERIOD)
        assert values.count() == reference.values.count() > 0
        assert values.values("ref", "locality").distinct().count() == values.count()
    else:
        assert bytes(finished.pdf).startswith(b"%PDF")


@pytest.mark.parametrize("kind", sorted(JOBS))
def test_a_job_whose_worker_process_is_killed_is_finished_once(
    real_celery_workers, kind
):
    """The process running the job is SIGKILLed: the worker's master rejects
    the task (reject_on_worker_lost), it is delivered again to a new process,
    which waits for the dead run's lease to lapse and takes the run over."""
    worker = real_celery_workers(pool="prefork", **WORKER_ENV)
    start = JOBS[kind][1]()
    with transaction.atomic():
        job = blocked_job(kind, start, [worker])
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
    start = JOBS[kind][1]()
    with transaction.atomic():
        job = blocked_job(kind, start, [first])
        assert lease_pid(job) == first.pid
        first.kill()
        first.wait()
    reap = scorecard_runs_reap if JOBS[kind][0] is Release else audit_reports_reap
    assert reap() == []  # its lease is still alive: left alone
    wait_for(
        lambda: JOBS[kind][0].objects.filter(
            pk=job.pk, lease_until__lte=timezone.now()
        ),
        "the dead run's lease to lapse",
    )
    second = real_celery_workers(pool="solo", **WORKER_ENV)
    assert reap() == [job.pk]
    assert_finished_once(kind, job, [second])
    # The killed worker's message stays unacknowledged until the visibility
    # timeout: drop it, so no later test's worker receives it.
    redis.from_url(settings.CELERY_BROKER_URL).delete("unacked", "unacked_index")
