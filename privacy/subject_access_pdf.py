"""The subject access PDF (services): made by a worker, never in a web request
(QUALITY §3). One job row per request; asking again while the officer's job for
that person is queued or running, or its PDF is still held, returns that job.

The PDF holds everything about a person, so it is kept for ``KEEP_FOR`` after
it is made, for the officer who asked only; then ``subject_access_pdfs_wipe``
(a beat job) wipes the bytes and the row stays as the record of the request.
Each download is in the access log (channel PDF, action export)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from core import jobs
from core.pdf import render_pdf
from families.models import Person
from privacy.models import SubjectAccessPDF, SubjectAccessPDFStatus
from privacy.selectors import readable_sections, subject_access_export

logger = logging.getLogger(__name__)

# How long a finished PDF can be downloaded before its bytes are wiped. The
# real clock measures it (not core.clock's replay clock): it is about how long
# the file is held, not when anything in the records happened.
KEEP_FOR = timedelta(hours=24)


def _queue_build(job_id: int) -> None:
    from privacy.tasks import subject_access_pdf_build

    jobs.job_send(subject_access_pdf_build, job_id)


def subject_access_pdf_available(job: SubjectAccessPDF) -> bool:
    """Whether the job's PDF can be downloaded now (made, not yet wiped, and
    within ``KEEP_FOR``)."""
    return (
        job.status == SubjectAccessPDFStatus.DONE
        and job.wiped_at is None
        and job.generated_at is not None
        and timezone.now() < job.generated_at + KEEP_FOR
    )


def subject_access_pdf_kept_until(job: SubjectAccessPDF) -> datetime | None:
    return job.generated_at + KEEP_FOR if job.generated_at else None


def subject_access_pdf_request(*, person: Person, actor: User) -> SubjectAccessPDF:
    """The officer's PDF job for ``person``, created and queued if they have
    none queued, running or still held. One whose worker died (its lease
    lapsed) is queued again; one alive in a worker or whose PDF is held is
    returned as it is, so asking twice makes one PDF. A failed job or a wiped
    one stays as it is and a new job is made. The caller has checked that the
    actor may answer for records."""
    with transaction.atomic():
        mine = SubjectAccessPDF.objects.select_for_update().filter(
            person=person, requested_by=actor
        )
        active = mine.filter(status__in=SubjectAccessPDF.ACTIVE).first()
        if active is not None:
            if not jobs.lease_lapsed(active):
                return active
            jobs.job_requeue(active, _queue_build)
            return active
        held = (
            mine.filter(
                status=SubjectAccessPDFStatus.DONE,
                wiped_at__isnull=True,
                generated_at__gt=timezone.now() - KEEP_FOR,
            )
            .defer("pdf")
            .first()
        )
        if held is not None:
            return held
        try:
            with transaction.atomic():
                job = SubjectAccessPDF.objects.create(
                    person=person, requested_by=actor, **jobs.queued_lease()
                )
        except IntegrityError:  # made by a concurrent request
            return mine.get(status__in=SubjectAccessPDF.ACTIVE)
        pk = job.pk
        transaction.on_commit(lambda: _queue_build(pk))
    return job


def subject_access_pdf_build(*, job_id: int) -> bool:
    """Make the PDF for a queued job, taking over a run whose worker died (its
    lease lapsed). Idempotent: a finished job is left alone, and only the run
    holding the lease stores its PDF, so a redelivered task makes one PDF.
    Raises ``jobs.JobBusy`` while another run's lease is alive."""

    def work(job: SubjectAccessPDF, progress: Callable[[int], None]) -> dict:
        person = Person.objects.select_related("family__locality").get(pk=job.person_id)
        export = subject_access_export(person)
        progress(40)
        sections = readable_sections(export)
        progress(60)
        generated_at = timezone.now()
        pdf = render_pdf(
            "pdf/subject_access.html",
            {
                "person": person,
                "about": export["about"],
                "sections": sections,
                "generated_at": generated_at,
            },
        )
        return {"pdf": pdf, "generated_at": generated_at}

    return jobs.job_run(
        SubjectAccessPDF,
        job_id,
        work,
        what=f"Subject access PDF job {job_id}",
        start=5,
    )


def subject_access_pdfs_reap() -> list[int]:
    """Queue again the jobs whose worker died or whose message was lost (their
    lease lapsed)."""
    return jobs.jobs_reap(
        SubjectAccessPDF.objects.filter(status__in=SubjectAccessPDF.ACTIVE),
        _queue_build,
    )


def subject_access_pdfs_wipe() -> list[int]:
    """Wipe the bytes of every PDF made ``KEEP_FOR`` ago or more; the rows stay
    as the record of each request."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            SubjectAccessPDF.objects.select_for_update(skip_locked=True)
            .filter(
                Q(pdf__isnull=False) | Q(wiped_at__isnull=True),
                status=SubjectAccessPDFStatus.DONE,
                generated_at__lte=now - KEEP_FOR,
            )
            .values_list("pk", flat=True)
        )
        SubjectAccessPDF.objects.filter(pk__in=due).update(
            pdf=None, wiped_at=now, updated_at=now
        )
    if due:
        logger.info("Wiped %s subject access PDFs", len(due))
    return due


def subject_access_pdf_bytes(job: SubjectAccessPDF) -> bytes | None:
    """The job's PDF while it can be downloaded, else None."""
    if not subject_access_pdf_available(job):
        return None
    pdf = (
        SubjectAccessPDF.objects.filter(pk=job.pk, pdf__isnull=False)
        .values_list("pdf", flat=True)
        .first()
    )
    return bytes(pdf) if pdf is not None else None
