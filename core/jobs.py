"""Leases for background jobs (QUALITY §3: nothing lost, nothing doubled).

A job row (``core.models.LeasedJob``) carries who is running it and until when
that run counts as alive. The worker takes the lease when it starts, renews it
at each progress step and gives it up when it finishes. A worker that is killed
stops renewing, so its lease lapses; then the redelivered task, the reaper (a
beat job) or a person asking again takes the run over instead of waiting for a
worker that is gone. Every write of a run checks that its lease is still held,
so a run that was taken over can never finish a second time.

Leases use the real clock (``timezone.now``), not the replay clock of
``core.clock``: they measure whether a process is alive.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import JobStatus, LeasedJob

logger = logging.getLogger(__name__)

J = TypeVar("J", bound=LeasedJob)
T = TypeVar("T")

# A task that finds its job busy (another run's lease alive) tries again when
# that lease would lapse; a few times, since a live run renews it until it ends.
BUSY_RETRIES = 5


class JobBusy(Exception):
    """Another worker holds a live lease on the run: try again once it lapses."""

    def __init__(self, retry_in: float) -> None:
        super().__init__(f"the job is being run elsewhere; retry in {retry_in:.0f} s")
        self.retry_in = retry_in


class JobLost(Exception):
    """The run's lease was taken over (it had lapsed): this run must stop."""


def lease_term() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def lease_lapsed(job: LeasedJob) -> bool:
    """Whether nothing alive answers for the job (queued or running)."""
    return job.lease_until is None or job.lease_until <= timezone.now()


def queued_lease() -> dict[str, Any]:
    """The lease fields of a job just queued: no owner, and a worker should
    have taken it by the end of the term (else the reaper queues it again)."""
    return {"lease_owner": "", "lease_until": timezone.now() + lease_term()}


def job_claim(
    model: type[J], pk: int, *, finished: Callable[[J], bool], **fields: Any
) -> tuple[J, str] | None:
    """Take the lease on a job for this run and set ``fields``; returns the job
    and the run's token, or None when ``finished(job)`` (nothing left to do).
    Raises ``JobBusy`` while another run's lease is alive."""
    with transaction.atomic():
        job = model.objects.select_for_update().get(pk=pk)  # type: ignore[attr-defined]
        if finished(job):
            return None
        if job.lease_owner and not lease_lapsed(job):
            assert job.lease_until is not None
            raise JobBusy((job.lease_until - timezone.now()).total_seconds())
        # Unique per run, not per process: a process that runs the job again
        # must not be mistaken for the run it replaces.
        token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        fields.update(lease_owner=token, lease_until=timezone.now() + lease_term())
        for name, value in fields.items():
            setattr(job, name, value)
        update_fields = list(fields)
        if any(f.name == "updated_at" for f in model._meta.fields):
            update_fields.append("updated_at")
        job.save(update_fields=update_fields)
        return job, token


def job_renew(model: type[LeasedJob], pk: int, token: str, **fields: Any) -> None:
    """Renew the run's lease, writing ``fields`` (its progress) with it. Raises
    ``JobLost`` if the run no longer holds the lease."""
    fields["lease_until"] = timezone.now() + lease_term()
    if not model.objects.filter(pk=pk, lease_owner=token).update(**fields):  # type: ignore[attr-defined]
        raise JobLost(f"{model._meta.label} {pk}")


def job_finish(model: type[LeasedJob], pk: int, token: str, **fields: Any) -> None:
    """End the run, writing ``fields`` (its outcome) and giving up the lease.
    Inside the caller's transaction this locks the row, so the outcome and what
    is stored with it are written by the lease holder only, once. Raises
    ``JobLost`` if the run no longer holds the lease."""
    fields.update(lease_owner="", lease_until=None)
    if not model.objects.filter(pk=pk, lease_owner=token).update(**fields):  # type: ignore[attr-defined]
        raise JobLost(f"{model._meta.label} {pk}")


def jobs_reap(active: QuerySet[J], requeue: Callable[[int], Any]) -> list[int]:
    """Queue again every job of ``active`` (the queued or running ones) whose
    lease has lapsed: its worker died, or its message was lost. Each gets a new
    queued lease, so the next sweep leaves it to the worker it was sent to."""
    reaped: list[int] = []
    with transaction.atomic():
        lapsed: Iterable[J] = active.select_for_update(skip_locked=True).filter(
            Q(lease_until__isnull=True) | Q(lease_until__lte=timezone.now())
        )
        for job in lapsed:
            job_requeue(job, requeue)
            reaped.append(job.pk)
    return reaped


def job_requeue(job: LeasedJob, requeue: Callable[[int], Any]) -> None:
    """Give a lapsed job a new queued lease and queue its task after commit.
    The caller holds the row's lock in its transaction."""
    for name, value in queued_lease().items():
        setattr(job, name, value)
    job.save(update_fields=["lease_owner", "lease_until"])
    pk = job.pk
    transaction.on_commit(lambda: requeue(pk))


def job_send(task: Any, pk: int, **kwargs: Any) -> None:
    """Send a job's task to the workers (after commit). When the broker cannot
    take it, the job row is saved all the same with a queued lease; once that
    lease lapses the reaper queues it again, so the request that asked for the
    job is answered as usual rather than failed."""
    from core.unavailable import UNAVAILABLE_ERRORS

    try:
        task.delay(pk, **kwargs)
    except UNAVAILABLE_ERRORS:
        logger.warning(
            "Could not queue %s for %s; the reaper will queue it", task.name, pk
        )


def job_run(
    model: type[J],
    pk: int,
    work: Callable[[J, Callable[[int], None]], dict[str, Any]],
    *,
    what: str,
    start: int = 0,
) -> bool:
    """Run a job that makes one thing (a PDF) and stores it on its row: take
    the lease (nothing to do once the job is done or failed), call
    ``work(job, progress)`` — ``progress(percent)`` renews the lease — and
    store the fields it returns with the status done, by the lease holder
    only, once. A run whose lease was taken over stops (False). A dependency
    away for a moment puts the job back in the queue, for the task's retry or
    the reaper; any other error marks it failed with the message, and is
    raised. Raises ``JobBusy`` while another run's lease is alive."""
    from core.unavailable import UNAVAILABLE_ERRORS

    claimed = job_claim(
        model,
        pk,
        finished=lambda job: job.status in (JobStatus.DONE, JobStatus.FAILED),  # type: ignore[attr-defined]
        status=JobStatus.RUNNING,
        progress=start,
    )
    if claimed is None:
        return False
    job, token = claimed
    stamp = (
        {"updated_at": timezone.now()}
        if any(f.name == "updated_at" for f in model._meta.fields)
        else {}
    )

    def progress(percent: int) -> None:
        job_renew(model, pk, token, progress=percent, **stamp)

    try:
        made = work(job, progress)
        job_finish(
            model, pk, token, status=JobStatus.DONE, progress=100, **made, **stamp
        )
    except JobLost:
        logger.warning("%s was taken over", what)
        return False
    except UNAVAILABLE_ERRORS:
        with contextlib.suppress(JobLost, *UNAVAILABLE_ERRORS):
            job_finish(model, pk, token, status=JobStatus.QUEUED, progress=0, **stamp)
        raise
    except Exception as exc:
        logger.exception("%s failed", what)
        with contextlib.suppress(JobLost):
            job_finish(
                model, pk, token, status=JobStatus.FAILED, error=str(exc)[:500], **stamp
            )
        raise
    return True


def run_or_retry(task: Any, run: Callable[[], T]) -> T:
    """Run a bound Celery task's job; while another run's lease is alive, ask
    the task to retry once that lease would have lapsed."""
    try:
        return run()
    except JobBusy as busy:
        raise task.retry(
            countdown=busy.retry_in + 1, max_retries=BUSY_RETRIES
        ) from busy
