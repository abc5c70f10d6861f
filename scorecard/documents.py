"""The scorecard PDF (services): the outcome framework's layout, a city page,
then one page per locality, then the definitions; each scope is its own part,
with its own page numbers.

A release never changes, so neither does its PDF: one ``ReleasePDF`` job row
per release, rendered by a worker (never in a web request) when it is first
asked for, or straight after the monthly run; any number of asks make one PDF.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from django.db import transaction

from core import clock, jobs
from core.models import JobStatus
from core.pdf import render_pdf_parts
from core.periods import Month, months_between
from localities.models import Locality
from scorecard.models import Indicator, Release, ReleasePDF
from scorecard.report import scorecard_lines

# Progress while the parts are laid out; joining them is the rest.
RENDERED = 95


def _parts(release: Release) -> list[dict]:
    """The print template's context for each part: the city, each locality
    (by name), then the definitions."""
    month = Month.parse(release.period)
    by_scope = scorecard_lines(month)
    scopes = [("Birmingham (city)", by_scope[None])] + [
        (locality.name, by_scope[locality.pk])
        for locality in Locality.objects.order_by("name")
    ]
    common = {
        "release": release,
        "month": month,
        "months": months_between(month.plus(-11), month),
    }
    parts = [{**common, "title": title, "lines": lines} for title, lines in scopes]
    parts.append(
        {
            **common,
            "indicators": list(
                Indicator.objects.filter(active=True).order_by("position", "ref")
            ),
        }
    )
    return parts


def _send(job_id: int) -> None:
    from scorecard.tasks import release_pdf_render_task

    jobs.job_send(release_pdf_render_task, job_id)


def release_pdf_request(release: Release, *, send: bool = True) -> ReleasePDF:
    """The release's PDF job (without its bytes): made and queued on the first
    ask; a failed one, or one whose worker died (its lease lapsed), queued
    again; a done one, or one alive in a worker, returned as it is. With
    ``send=False`` the job is left for the caller to render."""
    with transaction.atomic():
        job, created = (
            ReleasePDF.objects.select_for_update()
            .defer("pdf")
            .get_or_create(
                release=release,
                defaults={"requested_at": clock.now(), **jobs.queued_lease()},
            )
        )
        if job.status == JobStatus.FAILED:
            job.status, job.progress, job.error = JobStatus.QUEUED, 0, ""
            job.requested_at = clock.now()
            job.save(update_fields=["status", "progress", "error", "requested_at"])
        if send and created:
            transaction.on_commit(lambda: _send(job.pk))
        elif send and job.status != JobStatus.DONE and jobs.lease_lapsed(job):
            jobs.job_requeue(job, _send)
    return ReleasePDF.objects.defer("pdf").get(pk=job.pk)


def release_pdf_bytes(job: ReleasePDF) -> bytes | None:
    """The stored PDF of a done job."""
    if job.status != JobStatus.DONE:
        return None
    pdf = ReleasePDF.objects.values_list("pdf", flat=True).get(pk=job.pk)
    return bytes(pdf) if pdf is not None else None


def release_pdf_render(*, job_id: int) -> bool:
    """Render a release's PDF, taking over a run whose worker died (its lease
    lapsed). Idempotent: a done or failed job is left as it is, and only the
    run holding the lease stores the PDF, so a redelivered task makes one.
    Raises ``jobs.JobBusy`` while another run's lease is alive."""

    def work(job: ReleasePDF, progress: Callable[[int], None]) -> dict:
        started = time.monotonic()
        release = Release.objects.get(pk=job.release_id)
        pdf = render_pdf_parts(
            "pdf/scorecard.html",
            _parts(release),
            on_part=lambda done, total: progress(int(RENDERED * done / total)),
        )
        return {
            "pdf": pdf,
            "generated_at": clock.now(),
            "seconds": round(time.monotonic() - started, 2),
        }

    return jobs.job_run(ReleasePDF, job_id, work, what=f"Scorecard PDF job {job_id}")


def release_pdf_make(release: Release) -> ReleasePDF:
    """The release's PDF made in this process (the ``run_scorecard`` command),
    unless it is done already or being made by a worker."""
    job = release_pdf_request(release, send=False)
    with contextlib.suppress(jobs.JobBusy):
        release_pdf_render(job_id=job.pk)
    return ReleasePDF.objects.defer("pdf").get(pk=job.pk)


def release_pdfs_reap() -> list[int]:
    """Queue again the PDF jobs whose worker died, or whose message was lost
    (their lease lapsed)."""
    return jobs.jobs_reap(
        ReleasePDF.objects.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING)),
        _send,
    )
