"""The forms a partner's organisation (or the partner) sent."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from core.access_log import access_log_record_many
from core.view_access import scoped
from family_connect.access import form_queryset_for_user, form_shows_details
from family_connect.models import Route
from family_connect.references import status_token
from family_connect.selectors import form_list_for_user
from family_connect.views import session


@never_cache
@login_required
@scoped(form_queryset_for_user)
def my_forms(request: HttpRequest) -> HttpResponse:
    """The forms the user's organisation (or the user) sent, with status and
    decision."""
    forms = form_list_for_user(request.user)
    query = request.GET.get("q", "").strip().upper()
    if query:
        forms = forms.filter(Q(reference=query))
    page = Paginator(forms, 25).get_page(request.GET.get("page"))
    for form in page.object_list:
        form.shows_details = form_shows_details(request.user, form)
        # Whoever sent a form follows it by its status link, as from the
        # confirmation page and the decision e-mail.
        form.status_url = (
            reverse("family_connect:status", args=[status_token(form.status_key)])
            if form.shows_details
            else None
        )
    access_log_record_many(user=request.user, objs=page.object_list, request=request)
    return render(
        request,
        "family_connect/my_forms.html",
        {
            "page": page,
            "can_submit": bool(session.routes_for(request)),
            "service_email": settings.DEFAULT_FROM_EMAIL,
            "Route": Route,
        },
    )
