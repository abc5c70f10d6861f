"""Upload a CSV list of families; download the template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.errors import InvalidInput, TooMany
from core.view_access import scoped
from family_connect.access import may_bulk_upload
from family_connect.bulk import bulk_upload as bulk_upload_service
from family_connect.bulk import template_csv
from family_connect.forms import UploadForm


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(may_bulk_upload)
def bulk_upload(request: HttpRequest) -> HttpResponse:
    if not may_bulk_upload(request.user):
        raise Http404
    result = None
    refused: TooMany | None = None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = bulk_upload_service(
                content=form.cleaned_data["file"],
                actor=request.user,  # type: ignore[arg-type]  # login_required
            )
        except TooMany as exc:
            refused = exc
            form.add_domain_error(exc, otherwise="file")
        except InvalidInput as exc:
            form.add_domain_error(exc, otherwise="file")
    response = render(
        request,
        "family_connect/bulk.html",
        {"form": form, "result": result},
        status=429 if refused else 200,
    )
    if refused:
        response["Retry-After"] = str(refused.retry_after)
    return response


@login_required
@scoped(may_bulk_upload)
def bulk_template(request: HttpRequest) -> HttpResponse:
    if not may_bulk_upload(request.user):
        raise Http404
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        'attachment; filename="family-connect-bulk-template.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response
