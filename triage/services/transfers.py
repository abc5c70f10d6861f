"""Moving an undecided form to another locality's queue."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from core import clock
from core.errors import Conflict, InvalidInput
from core.history import LIVE, Mode
from family_connect import events as form_events
from family_connect.models import FamilyConnectForm, FormTransfer
from family_connect.transitions import can_transfer
from localities.models import Locality
from triage.services.guards import form_locked, reason_checked, refuse_if_stale


def form_transfer(
    *,
    form_id: int,
    actor: User,
    to_locality: Locality,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> FamilyConnectForm:
    """Move an undecided form to another locality's queue; its received time, and
    so its 7-day clock, stay as they are."""
    now = clock.now()
    reason = reason_checked(reason, mode)
    with transaction.atomic():
        form = form_locked(form_id, actor, mode)
        refuse_if_stale(form, seen_version)
        if not can_transfer(form.status):
            raise Conflict("Only a form waiting for a decision can be transferred.")
        if form.locality_id == to_locality.pk:
            raise InvalidInput(
                "The form is already in that locality.", field="to_locality"
            )
        FormTransfer.objects.create(
            form=form,
            from_locality_id=form.locality_id,
            to_locality=to_locality,
            by=actor,
            at=now,
            reason=reason,
        )
        before = form.locality_id
        form.locality = to_locality
        form.save(update_fields=["locality", "updated_at"])
        form_events.transferred(
            form,
            actor=actor,
            at=now,
            from_locality_id=before,
            to_locality_id=to_locality.pk,
            reason=reason,
        ).save()
    return form
