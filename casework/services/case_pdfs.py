"""The case's PDFs (services): Our Family Plan and the case summary, made by a
worker, never in a web request (QUALITY §3), through the one renderer
(``core.pdf``, with its deny-by-default fetcher).

One job row per request; asking again while that kind of PDF of the case is
queued or running returns that job, so asking twice makes one PDF. A finished
PDF is kept for ``KEEP_FOR`` for anyone who may download it, then
``case_pdfs_wipe`` (a beat job) wipes the bytes and the row stays as the record
of the request. Each download is in the access log (channel PDF, action
export); the case's workers read who downloaded it there."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from casework.models import Case, CasePDF, CasePDFKind
from casework.selectors.case_pdfs import (
    case_for_documents,
    case_summary_document,
    family_plan_document,
)
from core import jobs
from core.pdf import render_pdf

logger = logging.getLogger(__name__)

# How long a made PDF can be downloaded before its bytes are wiped: long enough
# to download it, short enough that a copy of the record is not kept beside it.
# The real clock measures it (not core.clock's replay clock).
KEEP_FOR = timedelta(hours=1)

TEMPLATES = {
    CasePDFKind.PLAN: "pdf/family_plan.html",
    CasePDFKind.SUMMARY: "pdf/case_summary.html",
}


def _queue_build(job_id: int) -> None:
    from casework.tasks import case_pdf_build

    jobs.job_send(case_pdf_build, job_id)


def case_pdf_available(job: CasePDF) -> bool:
    """Whether the job's PDF can be downloaded now (made, not yet wiped, and
    within ``KEEP_FOR``)."""
    return (
        job.status == CasePDF.Status.DONE
        and job.wiped_at is None
        and job.generated_at is not None
        and timezone.now() < job.generated_at + KEEP_FOR
    )


def case_pdf_kept_until(job: CasePDF) -> datetime | None:
    return job.generated_at + KEEP_FOR if job.generated_at else None


def case_pdf_request(*, case: Case, kind: CasePDFKind, actor: User) -> CasePDF:
    """The job making this kind of PDF of the case, created and queued if none
    is queued or running. One whose worker died (its lease lapsed) is queued
    again; one alive in a worker is returned as it is. A PDF already made is
    not reused: the plan may have changed since, so a new one is made. The
    caller has resolved the case through ``casework.access.case_get_for_user``
    and checked ``may_download_case_pdf``."""
    with transaction.atomic():
        active = (
            CasePDF.objects.select_for_update()
            .filter(case=case, kind=kind, status__in=CasePDF.ACTIVE)
            .defer("pdf")
            .first()
        )
        if active is not None:
            if jobs.lease_lapsed(active):
                jobs.job_requeue(active, _queue_build)
            return active
        try:
            with transaction.atomic():
                job = CasePDF.objects.create(
                    case=case, kind=kind, requested_by=actor, **jobs.queued_lease()
                )
        except IntegrityError:  # asked for by a concurrent request
            return CasePDF.objects.defer("pdf").get(
                case=case, kind=kind, status__in=CasePDF.ACTIVE
            )
        pk = job.pk
        transaction.on_commit(lambda: _queue_build(pk))
    return job


def case_pdf_build(*, job_id: int) -> bool:
    """Make the PDF for a queued job, taking over a run whose worker died (its
    lease lapsed). Idempotent: a finished job is left alone, and only the run
    holding the lease stores its PDF, so a redelivered task makes one PDF.
    Raises ``jobs.JobBusy`` while another run's lease is alive."""

    def work(job: CasePDF, progress: Callable[[int], None]) -> dict:
        case = case_for_documents(job.case_id)
        if job.kind == CasePDFKind.PLAN:
            document = family_plan_document(case)
        else:
            document = case_summary_document(case)
        progress(50)
        generated_at = timezone.now()
        pdf = render_pdf(
            TEMPLATES[CasePDFKind(job.kind)],
            {"case": case, "generated_at": generated_at, **document},
        )
        return {"pdf": pdf, "generated_at": generated_at}

    return jobs.job_run(CasePDF, job_id, work, what=f"Case PDF job {job_id}", start=5)


def case_pdfs_reap() -> list[int]:
    """Queue again the jobs whose worker died or whose message was lost (their
    lease lapsed)."""
    return jobs.jobs_reap(
        CasePDF.objects.filter(status__in=CasePDF.ACTIVE), _queue_build
    )


def case_pdfs_wipe() -> list[int]:
    """Wipe the bytes of every PDF made ``KEEP_FOR`` ago or more; the rows stay
    as the record of each request."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            CasePDF.objects.select_for_update(skip_locked=True)
            .filter(
                Q(pdf__isnull=False) | Q(wiped_at__isnull=True),
                status=CasePDF.Status.DONE,
                generated_at__lte=now - KEEP_FOR,
            )
            .values_list("pk", flat=True)
        )
        CasePDF.objects.filter(pk__in=due).update(
            pdf=None, wiped_at=now, updated_at=now
        )
    if due:
        logger.info("Wiped %s case PDFs", len(due))
    return due


def case_pdf_bytes(job: CasePDF) -> bytes | None:
    """The job's PDF while it can be downloaded, else None."""
    if not case_pdf_available(job):
        return None
    pdf = (
        CasePDF.objects.filter(pk=job.pk, pdf__isnull=False)
        .values_list("pdf", flat=True)
        .first()
    )
    return bytes(pdf) if pdf is not None else None
