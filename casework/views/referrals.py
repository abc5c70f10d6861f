"""Social care referrals made outside early help, uploaded as CSV."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.models import User
from casework.access import may_upload_referrals
from casework.forms import ReferralUploadForm
from casework.services.referrals import referrals_upload
from casework.services.referrals import template_csv as referrals_template_csv
from core.errors import DomainError
from core.view_access import scoped


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(may_upload_referrals)
def referrals_upload_view(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of referrals to social care made outside early help."""
    user = cast(User, request.user)  # login_required
    if not may_upload_referrals(user):
        raise Http404
    result = None
    form = ReferralUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = referrals_upload(
                content=form.cleaned_data["file"], actor=user, request=request
            )
        except DomainError as exc:
            form.add_domain_error(exc, otherwise="file")
    return render(
        request, "casework/referrals_upload.html", {"form": form, "result": result}
    )


@login_required
@scoped(may_upload_referrals)
def referrals_template(request: HttpRequest) -> HttpResponse:
    if not may_upload_referrals(request.user):
        raise Http404
    response = HttpResponse(
        referrals_template_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        'attachment; filename="social-care-referrals-template.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response
