"""Closing a decided form as withdrawn or a duplicate: its own action, not a
decision, which undoes what the decision did where it can.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from casework.services.step_up import social_care_referrals_withdraw_for_form
from core import clock
from core.errors import Conflict, InvalidInput
from core.history import LIVE, Mode, Rule
from core.notifications import notifications_queue
from family_connect import events as form_events
from family_connect.models import FamilyConnectForm, FormStatus
from family_connect.transitions import can_close_decided
from triage.services.decisions import Decided, check_original, requester_told
from triage.services.guards import (
    changed_since_message,
    form_locked,
    reason_checked,
    refuse_if_stale,
)


def form_close_decided(
    *,
    form_id: int,
    actor: User,
    outcome: str,
    reason: str,
    seen_version: str | None,
    duplicate_of: FamilyConnectForm | None = None,
    mode: Mode = LIVE,
) -> Decided:
    """Close a decided form as withdrawn (the family no longer wants help, or
    the request was made in error) or as a duplicate of another form.

    Its own action, not a decision: the manager must have seen the decision, so
    ``seen_version`` is required (history excepted) and a form changed
    since is refused with ``Stale``. The decision stays on record; the form's
    status changes, with a ``status_changed`` event. What the decision did is
    undone where it can be: a step-up's referrals made at triage are removed,
    unless social care has recorded an outcome for them (then refused). An
    allocated form is refused: its case is open and is closed through casework.
    """
    now = clock.now()
    reason = reason_checked(reason, mode)
    if seen_version is None and mode.holds(Rule.DECISION_SEEN):
        raise InvalidInput(
            "Review the form's decision before closing it: send the version you "
            "saw (the API's If-Match header).",
            field="version",
        )
    with transaction.atomic():
        form = form_locked(form_id, actor, mode)
        refuse_if_stale(form, seen_version)
        if not can_close_decided(form.status, outcome):
            _refuse_closing(form, outcome)
        if outcome == FormStatus.DUPLICATE:
            if duplicate_of is not None:
                check_original(form, duplicate_of)
            elif mode.holds(Rule.DUPLICATE_NAMES_ITS_ORIGINAL):
                raise InvalidInput(
                    "Enter the reference of the form it duplicates.",
                    field="duplicate_of",
                )
            form.duplicate_of = duplicate_of
        removed: list[int] = []
        # History keeps the referrals the previous system recorded.
        if form.status == FormStatus.STEPPED_UP and mode.holds(Rule.STEP_UP_UNDONE):
            removed = social_care_referrals_withdraw_for_form(form=form, actor=actor)
        before = form.status
        form.status = outcome
        form.save(update_fields=["status", "duplicate_of", "updated_at"])
        form_events.status_changed(
            form,
            actor=actor,
            at=now,
            before=before,
            outcome=outcome,
            reason=reason,
            duplicate_of=duplicate_of.reference if duplicate_of else None,
            referrals_removed=removed,
        ).save()
        notifications_queue(requester_told(form), mode=mode)
    return Decided(form, getattr(form, "decision", None))


def _refuse_closing(form: FamilyConnectForm, outcome: str) -> None:
    if outcome not in (FormStatus.WITHDRAWN, FormStatus.DUPLICATE):
        raise InvalidInput(
            "A decided form can only be closed as withdrawn or as a duplicate.",
            field="outcome",
        )
    if form.status == FormStatus.SUBMITTED:
        raise InvalidInput("This form is waiting for a decision: record the decision.")
    if form.status == FormStatus.ALLOCATED:
        raise Conflict(
            "An allocated form cannot be withdrawn or closed as a duplicate: the "
            "family's case is open. Close the case, with the reason, instead. "
            "Nothing was changed."
        )
    raise Conflict(changed_since_message(form))
