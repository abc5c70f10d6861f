"""The forms a partner's organisation (or the partner) sent."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from core.access_log import access_log_record_many
from core.view_access import scoped
from family_connect.access import (
    form_details_limited,
    form_queryset_for_user,
    form_shows_details,
)
from family_connect.forms import FormListFilterForm
from family_connect.models import Route
from family_connect.references import status_token
from family_connect.selectors import child_initials, form_list_for_user, form_localities
from family_connect.views import session


@never_cache
@login_required
@scoped(form_queryset_for_user)
def my_forms(request: HttpRequest) -> HttpResponse:
    """The forms the user's organisation (or the user) sent, with status and
    decision; searched by name, postcode or reference and filtered by status
    and locality from the query string."""
    localities = form_localities(request.user)
    details_limited = form_details_limited(request.user)
    filter_form = FormListFilterForm(
        request.GET or None, localities=localities, details_limited=details_limited
    )
    filters = filter_form.filters()
    forms = form_list_for_user(request.user, filters)
    page = Paginator(forms, 25).get_page(request.GET.get("page"))
    for form in page.object_list:
        form.shows_details = form_shows_details(request.user, form)
        # A colleague's form: enough to tell it apart, not the family's names.
        form.initials = "" if form.shows_details else child_initials(form)
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
            "filter_form": filter_form,
            "filtered": filters.active,
            "has_forms": bool(localities),
            "can_submit": bool(session.routes_for(request)),
            "service_email": settings.DEFAULT_FROM_EMAIL,
            "Route": Route,
        },
    )
