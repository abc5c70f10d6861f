"""Saving the answers to come back later, and coming back by the private link."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.view_access import public
from family_connect import journey
from family_connect.services.drafts import draft_resume
from family_connect.views import session
from family_connect.views.journey_pages import step_url


@never_cache
@public("the Family Connect Form: families and professionals, by their own draft")
def save_for_later(request: HttpRequest) -> HttpResponse:
    """The private link to come back to the answers saved so far."""
    draft = session.draft_in_session(request)
    token = request.session.get(session.DRAFT_TOKEN)
    if draft is None or not token:
        return session.no_draft(request)
    resume_url = request.build_absolute_uri(
        reverse("family_connect:resume", args=[token])
    )
    return render(
        request,
        "family_connect/save.html",
        {"resume_url": resume_url, "expires_at": draft.expires_at},
    )


@never_cache
@public("the Family Connect Form: families and professionals, by their own draft")
def resume(request: HttpRequest, token: str) -> HttpResponse:
    """Open a saved draft from its private link, in this browser."""
    if slow_down := session.too_many(request, "fc-resume", session.PAGE_LIMIT):
        return slow_down
    user = request.user if request.user.is_authenticated else None
    opened = draft_resume(token=token, user=user)
    if opened is None:
        return render(request, "family_connect/link_expired.html", status=404)
    draft = opened.draft
    request.session[session.DRAFT_ID] = draft.pk
    request.session[session.DRAFT_TOKEN] = opened.token
    messages.info(
        request,
        _(
            "You are continuing your saved answers. The link you used has "
            "stopped working: use “Save and come back later” for a new one."
        ),
    )
    routes = session.routes_for(request)
    missing = journey.first_unanswered(draft.route, draft.answers, routes)
    if missing is not None:
        return redirect(step_url(missing.slug))
    return redirect("family_connect:check")
