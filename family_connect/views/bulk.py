"""Upload a CSV list of families; download the template."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.errors import InvalidInput, TooMany
from core.forms import GovukFormMixin
from core.uploads import MAX_BYTES
from core.view_access import scoped
from family_connect.access import may_bulk_upload
from family_connect.bulk import bulk_upload as bulk_upload_service
from family_connect.bulk import template_csv


class UploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Use the template's columns. At most 500 rows and 2 MB.",
        error_messages={"required": "Select a CSV file"},
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        return upload.read()


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
            form.add_error("file", exc.message)
        except InvalidInput as exc:
            form.add_error("file", exc.message)
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
