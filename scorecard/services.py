"""Scorecard runs (services): compute every measure for a month and store an
immutable release."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction

from accounts.models import User
from core import clock, jobs
from core.periods import Month
from localities.models import Locality
from scorecard.measures import MEASURES
from scorecard.measures.base import Period
from scorecard.models import Release, ReleaseStatus, Value

logger = logging.getLogger(__name__)


def code_version() -> str:
    """The code a release was computed with: ``CODE_VERSION`` from the
    environment (set by the deployment), else the checkout's commit."""
    if os.environ.get("CODE_VERSION"):
        return os.environ["CODE_VERSION"][:100]
    git = Path(settings.BASE_DIR) / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            return (git / head[5:]).read_text().strip()[:12]
        return head[:12]
    except OSError:
        return "unknown"


def _release_start(period: Month, actor: User | None) -> Release:
    return Release.objects.create(
        period=str(period),
        started_at=clock.now(),
        code_version=code_version(),
        requested_by=actor,
        **jobs.queued_lease(),
    )


def scorecard_run(*, period: Month, actor: User | None = None) -> Release:
    """Compute the month's scorecard for every locality and the city now and
    store it as a new release; earlier releases of the month stay as they were."""
    release = _release_start(period, actor)
    scorecard_compute(release_id=release.pk)
    release.refresh_from_db()
    return release


def _queue_compute(release_id: int) -> None:
    from scorecard.tasks import scorecard_compute_task

    jobs.job_send(scorecard_compute_task, release_id)


def scorecard_run_request(*, period: Month, actor: User) -> Release:
    """Start a run for a person: the release row (with its progress) now, the
    computing in a worker after commit."""
    with transaction.atomic():
        release = _release_start(period, actor)
        release_id = release.pk
        transaction.on_commit(lambda: _queue_compute(release_id))
    return release


def _finished(release: Release) -> bool:
    return release.status != ReleaseStatus.RUNNING


def scorecard_compute(*, release_id: int) -> bool:
    """Compute a started release, taking over a run whose worker died (its
    lease lapsed). Idempotent: a release that is done or failed is left as it
    is, and only the run holding the lease stores values, so a redelivered task
    makes one set. Raises ``jobs.JobBusy`` while another run's lease is alive."""
    claimed = jobs.job_claim(Release, release_id, finished=_finished, progress=0)
    if claimed is None:
        return False
    release, token = claimed
    period = Month.parse(release.period)
    try:
        localities = dict(Locality.objects.values_list("pk", "slug"))
        by_slug = {slug: pk for pk, slug in localities.items()}
        context = Period(month=period, now=clock.now(), localities=localities)
        values: list[Value] = []
        for done, measure in enumerate(MEASURES, start=1):
            for ref, cells in measure(context).items():
                values += [
                    Value(
                        release=release,
                        ref=ref,
                        locality_id=by_slug[scope] if scope is not None else None,
                        value=cell.value,
                        numerator=cell.numerator,
                        denominator=cell.denominator,
                        provisional=cell.provisional,
                    )
                    for scope, cell in cells.items()
                ]
            jobs.job_renew(
                Release, release.pk, token, progress=int(90 * done / len(MEASURES))
            )
        with transaction.atomic():
            # The lease check locks the row first: the values are stored by the
            # lease holder only, once.
            jobs.job_finish(
                Release,
                release.pk,
                token,
                status=ReleaseStatus.DONE,
                progress=100,
                generated_at=clock.now(),
            )
            Value.objects.bulk_create(values)
    except jobs.JobLost:
        logger.warning("The scorecard run for %s was taken over", period)
        return False
    except Exception as exc:
        logger.exception("The scorecard run for %s failed", period)
        with contextlib.suppress(jobs.JobLost):
            jobs.job_finish(
                Release,
                release.pk,
                token,
                status=ReleaseStatus.FAILED,
                error=str(exc)[:500],
            )
        raise
    return True


def scorecard_runs_reap() -> list[int]:
    """Queue again the runs whose worker died (their lease lapsed)."""
    return jobs.jobs_reap(
        Release.objects.filter(status=ReleaseStatus.RUNNING), _queue_compute
    )


def scorecard_run_scheduled(*, period: Month) -> Release:
    """The beat job's run for a month: made once. A redelivered or repeated
    scheduled task finds the release it made (or is making) instead of making
    another, and finishes it if its run died; a failed one is run again. Runs
    asked for by people always make a new release. Raises ``jobs.JobBusy``
    while the month's run is alive in another worker."""
    existing = (
        Release.objects.filter(
            period=str(period),
            requested_by__isnull=True,
            status__in=(ReleaseStatus.DONE, ReleaseStatus.RUNNING),
        )
        .order_by("-pk")
        .first()
    )
    if existing is None:
        return scorecard_run(period=period)
    if existing.status == ReleaseStatus.RUNNING:
        scorecard_compute(release_id=existing.pk)
        existing.refresh_from_db()
    return existing
