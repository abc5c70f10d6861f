"""The case's PDFs: Our Family Plan and the case summary. Asking for one queues
a worker (``casework.services.case_pdfs``); its page follows the progress and
then offers the download, each download logged."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from casework.access import (
    case_get_for_user,
    case_pdf_get_for_user,
    may_download_case_pdf,
)
from casework.models import CasePDF, CasePDFKind
from casework.selectors.cases import people_on_case
from casework.services.case_pdfs import (
    KEEP_FOR,
    case_pdf_available,
    case_pdf_bytes,
    case_pdf_kept_until,
    case_pdf_request,
)
from casework.views.cases import case_heading
from core.access_log import access_log_record, access_log_record_many
from core.models import AccessLog
from core.view_access import scoped
from family_connect.models import FamilyConnectForm

KEEP_MINUTES = int(KEEP_FOR.total_seconds() // 60)

# Each kind's file name.
FILE_NAMES = {
    CasePDFKind.PLAN: "our-family-plan",
    CasePDFKind.SUMMARY: "case-summary",
}


@never_cache
@login_required
@require_POST
@scoped(case_get_for_user, may_download_case_pdf)
def case_pdf_request_view(
    request: HttpRequest, case_id: int, kind: str
) -> HttpResponse:
    """Ask a worker for the PDF (or find the one being made), then follow its
    progress."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not may_download_case_pdf(user, case, kind):
        raise Http404
    job = case_pdf_request(case=case, kind=CasePDFKind(kind), actor=user)
    return redirect("casework:pdf", case.pk, job.pk)


def _job(request: HttpRequest, case_id: int, pdf_id: int) -> CasePDF:
    job = case_pdf_get_for_user(request.user, case_id, pdf_id)
    if job is None:
        raise Http404
    return job


@never_cache
@login_required
@require_GET
@scoped(case_pdf_get_for_user)
def case_pdf_status(request: HttpRequest, case_id: int, pdf_id: int) -> HttpResponse:
    """Progress of the PDF (HTML, or JSON for the page's script), and its
    download link once made."""
    job = _job(request, case_id, pdf_id)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {"id": job.pk, "status": job.status, "progress": job.progress}
        )
    user = cast(User, request.user)
    case = job.case
    # The page names the family: a read of the case.
    access_log_record(user=user, obj=case, request=request)
    return render(
        request,
        "casework/case_pdf_status.html",
        {
            "case": case,
            **case_heading(user, case),
            "job": job,
            "title": job.get_kind_display(),
            "available": case_pdf_available(job),
            "kept_until": case_pdf_kept_until(job),
            "keep_minutes": KEEP_MINUTES,
            "request_url": reverse(f"casework:{job.kind}_pdf_request", args=[case.pk]),
            "status_url": reverse("casework:pdf", args=[case.pk, job.pk]),
            "download_url": reverse("casework:pdf_download", args=[case.pk, job.pk]),
        },
    )


@never_cache
@login_required
@require_GET
@scoped(case_pdf_get_for_user)
def case_pdf_download(request: HttpRequest, case_id: int, pdf_id: int) -> HttpResponse:
    """The made PDF, while it is kept. Each download is logged: the case, and
    for the summary each person and form it shows."""
    job = _job(request, case_id, pdf_id)
    pdf = case_pdf_bytes(job)
    if pdf is None:
        raise Http404
    user = cast(User, request.user)
    case = job.case
    export = {"channel": AccessLog.Channel.PDF, "action": AccessLog.Action.EXPORT}
    access_log_record(user=user, obj=case, request=request, **export)
    if job.kind == CasePDFKind.SUMMARY:
        access_log_record_many(
            user=user,
            objs=[
                *people_on_case(case.pk).only("pk"),
                *FamilyConnectForm.objects.filter(case=case).only("pk"),
            ],
            request=request,
            **export,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    file_name = FILE_NAMES[CasePDFKind(job.kind)]
    response["Content-Disposition"] = (
        f'attachment; filename="{file_name}-case-{case.pk}.pdf"'
    )
    return response
