"""Documents on a case: the list, adding one, and downloading one."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from casework.access import (
    case_get_for_user,
    document_get_for_user,
    documents_for_user,
    may_upload_document,
    sees_team_view_only,
)
from casework.forms import DocumentUploadForm
from casework.services.documents import case_document_open, case_document_upload
from casework.views.cases import case_heading
from core.access_log import access_log_record, access_log_record_many
from core.errors import DomainError
from core.view_access import scoped


@never_cache
@login_required
@require_GET
@scoped(case_get_for_user, documents_for_user, may_upload_document)
def documents(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's documents the user may see, newest first: partners on the
    team see only those shared with them."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None:
        raise Http404
    rows = list(documents_for_user(user, case).select_related("uploaded_by"))
    access_log_record(user=user, obj=case, request=request)
    access_log_record_many(user=user, objs=rows, request=request)
    return render(
        request,
        "casework/documents.html",
        {
            "case": case,
            **case_heading(user, case),
            "documents": rows,
            "can_upload": may_upload_document(user, case),
            "partner": sees_team_view_only(user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_upload_document)
def document_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a document to the case (its workers: ``may_upload_document``)."""
    user = cast(User, request.user)  # login_required
    case = case_get_for_user(user, case_id)
    if case is None or not may_upload_document(user, case):
        raise Http404
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = case_document_upload(
                case_id=case.pk,
                actor=user,
                title=form.cleaned_data["title"],
                document_type=form.cleaned_data["document_type"],
                shared_with_partners=form.cleaned_data["shared_with_partners"],
                upload=form.cleaned_data["file"],
                request=request,
            )
        except DomainError as exc:
            form.add_domain_error(exc, otherwise="file")
        else:
            messages.success(request, f"Document “{document.title}” added.")
            return redirect("casework:documents", case_id=case.pk)
    access_log_record(user=user, obj=case, request=request)
    return render(
        request,
        "casework/document_upload.html",
        {"case": case, **case_heading(user, case), "form": form},
    )


@never_cache
@login_required
@require_GET
@scoped(document_get_for_user)
def document_download(
    request: HttpRequest, case_id: int, document_id: int
) -> FileResponse:
    """The document's file, always as a download, in the type its bytes were
    checked to be; 404 for a document the user may not see."""
    user = cast(User, request.user)  # login_required
    document = document_get_for_user(user, case_id, document_id)
    if document is None:
        raise Http404
    file = case_document_open(document=document, actor=user, request=request)
    kind = document.kind
    content_type = kind.content_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    name = f"{slugify(document.title)[:80] or 'document'}.{kind.extension}"
    response = FileResponse(
        file, as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    return response
