"""What the public journey's pages share: the draft this browser is filling in
(its id and resume token kept in the session), the form it sent, and how often
the pages may be posted to.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.http import client_ip
from core.ratelimit import rate_take
from family_connect.access import routes_for_user
from family_connect.models import FamilyConnectForm, FormDraft
from family_connect.services.drafts import draft_owner

DRAFT_ID = "family_connect_draft"
DRAFT_TOKEN = "family_connect_draft_token"
# Public pages: generous for a person, tight for a script.
PAGE_LIMIT = (120, 600)  # POSTs per 10 minutes per address
SUBMIT_LIMIT = (10, 3600)  # submissions per hour per address


def routes_for(request: HttpRequest) -> list[str]:
    return routes_for_user(request.user)


def draft_in_session(request: HttpRequest) -> FormDraft | None:
    draft_id = request.session.get(DRAFT_ID)
    if draft_id is None:
        return None
    user = request.user if request.user.is_authenticated else None
    return FormDraft.objects.filter(
        draft_owner(user),
        pk=draft_id,
        expires_at__gt=timezone.now(),
        submitted_form__isnull=True,
    ).first()


def too_many(
    request: HttpRequest, scope: str, limit: tuple[int, int]
) -> HttpResponse | None:
    """The "slow down" page (429, with ``Retry-After``) once the caller is over
    ``limit`` in ``scope``; None while it may go ahead."""
    # Colleagues behind one school or hospital address are counted each on their
    # own; families, who have no account, by their address.
    if request.user.is_authenticated:
        ident = f"user:{request.user.pk}"
    else:
        ident = client_ip(request) or "-"
    allowance = rate_take(scope, ident, limit=limit[0], window_seconds=limit[1])
    if allowance.allowed:
        return None
    response = render(request, "family_connect/slow_down.html", status=429)
    response["Retry-After"] = str(allowance.retry_after)
    return response


def no_draft(request: HttpRequest) -> HttpResponse:
    messages.info(
        request,
        _(
            "Your answers were not found. Start again, or use your link to come "
            "back to a saved form."
        ),
    )
    return redirect("family_connect:start")


def submitted_form(request: HttpRequest) -> FamilyConnectForm | None:
    draft_id = request.session.get(DRAFT_ID)
    if draft_id is None:
        return None
    user = request.user if request.user.is_authenticated else None
    draft = (
        FormDraft.objects.select_related("submitted_form")
        .filter(draft_owner(user), pk=draft_id, submitted_form__isnull=False)
        .first()
    )
    return draft.submitted_form if draft else None
