"""Drafts of the form: started, saved page by page, resumed by a private link,
and deleted 28 days after their last save.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from core.errors import NotAllowed
from family_connect.models import FormDraft
from family_connect.services.submission import may_submit

DRAFT_LIFETIME = timedelta(days=28)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class DraftStarted:
    draft: FormDraft
    token: str


def draft_start(*, route: str, user: User | None) -> DraftStarted:
    """A new empty draft and the private token that resumes it (shown once)."""
    if not may_submit(user, route):
        raise NotAllowed("You cannot submit a form by this route.")
    token = secrets.token_urlsafe(24)
    draft = FormDraft.objects.create(
        token_digest=_token_digest(token),
        route=route,
        user=user if user is not None and user.is_authenticated else None,
        answers={},
        expires_at=timezone.now() + DRAFT_LIFETIME,
    )
    return DraftStarted(draft, token)


def draft_owner(user: User | None) -> Q:
    """The drafts that belong to this user (None: to nobody signed in)."""
    return Q(user=user) if user is not None else Q(user__isnull=True)


def draft_resume(*, token: str, user: User | None) -> DraftStarted | None:
    """Open the unexpired, unsubmitted draft this resume link points at, and give
    it a new link: the old one stops working, so a link handed to somebody else
    cannot be used to read answers typed in after it was opened."""
    with transaction.atomic():
        draft = (
            FormDraft.objects.select_for_update()
            .filter(
                token_digest=_token_digest(token or ""),
                expires_at__gt=timezone.now(),
                submitted_form__isnull=True,
            )
            # A signed-in user's draft opens only for them; a family's only
            # outside an account.
            .filter(draft_owner(user))
            .first()
        )
        if draft is None:
            return None
        new_token = secrets.token_urlsafe(24)
        draft.token_digest = _token_digest(new_token)
        draft.save(update_fields=["token_digest", "updated_at"])
    return DraftStarted(draft, new_token)


def draft_save(
    *,
    draft_id: int,
    answers: dict[str, Any],
    route: str | None = None,
    user: User | None = None,
) -> FormDraft:
    """Merge a page's answers into the draft and push its expiry 28 days on;
    ``route`` (checked against what ``user`` may submit) changes the draft's
    route."""
    if route is not None and not may_submit(user, route):
        raise NotAllowed("You cannot submit a form by this route.")
    with transaction.atomic():
        draft = FormDraft.objects.select_for_update().get(pk=draft_id)
        if draft.submitted_form_id is not None:
            raise NotAllowed("This form has already been sent.")
        draft.answers = {**draft.answers, **answers}
        draft.expires_at = timezone.now() + DRAFT_LIFETIME
        fields = ["answers", "expires_at", "updated_at"]
        if route is not None:
            draft.route = route
            fields.append("route")
        draft.save(update_fields=fields)
    return draft


def drafts_purge(*, now: datetime | None = None) -> int:
    """Delete drafts past their expiry; a submitted draft is only a pointer and
    goes too. Idempotent."""
    cutoff = now or timezone.now()
    deleted, _ = FormDraft.objects.filter(expires_at__lte=cutoff).delete()
    return deleted
