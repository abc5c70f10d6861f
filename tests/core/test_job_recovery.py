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


# The scorecard PDF, made by a real worker.


def _parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return None if fields[0] == "Z" else int(fields[1])


def descendants(pid: int) -> set[int]:
    """The living processes below ``pid`` (children, theirs, and so on)."""
    parents = {
        int(entry): _parent_of(int(entry))
        for entry in os.listdir("/proc")
        if entry.isdigit()
    }
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {c for c, p in parents.items() if p in frontier} - found
        found |= frontier
    return found


def renderers_below(pid: int) -> set[int]:
    def is_renderer(child: int) -> bool:
        try:
            with open(f"/proc/{child}/cmdline", "rb") as cmdline:
                return b"core.pdf_worker" in cmdline.read()
        except FileNotFoundError:
            return False

    return {child for child in descendants(pid) if is_renderer(child)}


def fresh_release() -> Release:
    release = scorecard_run(period=PERIOD)
    assert release.status == ReleaseStatus.DONE
    return release


def test_ten_asks_for_the_pdf_of_a_fresh_release_make_one_pdf(real_celery_workers):
    """Ten clients ask at once for the PDF of a release that has none: each is
    answered 202 straight away, one job is made, a worker renders it once, and
    then every ask gets the PDF; no renderer process is left behind."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections
    from rest_framework.test import APIClient

    from accounts.roles import Role
    from accounts.services import api_token_issue
    from scorecard.models import ReleasePDF
    from tests.factories import UserFactory

    worker = real_celery_workers(pool="prefork")
    release = fresh_release()
    token = api_token_issue(
        user=UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None)
    )
    url = f"/api/v1/scorecard/{PERIOD}/pdf/"

    def ask(_: int) -> tuple[int, str, bytes]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            response = client.get(url)
            return response.status_code, response.get("Retry-After", ""), b""
        finally:
            connections.close_all()

    with ThreadPoolExecutor(10) as pool:
        first = list(pool.map(ask, range(10)))
    assert first == [(202, "5", b"")] * 10
    job = wait_for(
        lambda: ReleasePDF.objects.filter(release=release, status="done").first(),
        "the PDF",
        [worker],
    )
    assert ReleasePDF.objects.count() == 1
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    pdfs = {client.get(url).content for _ in range(10)}
    assert pdfs == {bytes(job.pdf)} and bytes(job.pdf).startswith(b"%PDF")
    assert renderers_below(worker.pid) == set()


def test_a_pdf_whose_worker_process_is_killed_mid_render_is_made_once(
    real_celery_workers,
):
    """The process rendering the PDF is SIGKILLed while its part renderers
    work: they die with it; the task is delivered again to a new process,
    which takes the lapsed run over and stores one PDF."""
    from scorecard.models import ReleasePDF
    from scorecard.tasks import release_pdf_render_task

    worker = real_celery_workers(pool="prefork", **WORKER_ENV)
    release = fresh_release()
    job = ReleasePDF.objects.create(release=release, **queued_lease())
    release_pdf_render_task.delay(job.pk)
    claimed = wait_for(
        lambda: (
            ReleasePDF.objects.filter(pk=job.pk, status="running")
            .exclude(lease_owner="")
            .first()
        ),
        "the PDF job to take its lease",
        [worker],
    )
    owner = lease_pid(claimed)
    with transaction.atomic():
        # Holding the job's row: the run's first progress write (after its
        # first part) waits here, with its renderers alive.
        ReleasePDF.objects.select_for_update().get(pk=job.pk)
        renderers = wait_for(
            lambda: renderers_below(owner), "the part renderers", [worker]
        )
        os.kill(owner, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while any(_parent_of(pid) is not None for pid in renderers):
            assert time.monotonic() < deadline, "a part renderer outlived its worker"
            time.sleep(0.05)
    done = wait_for(
        lambda: ReleasePDF.objects.filter(pk=job.pk, status="done").first(),
        "the PDF to be made again",
        [worker],
        seconds=120,
    )
    assert bytes(done.pdf).startswith(b"%PDF") and done.lease_owner == ""
    assert ReleasePDF.objects.count() == 1
    assert "WorkerLostError" in worker.output()
    assert renderers_below(worker.pid) == set()
