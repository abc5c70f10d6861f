"""One service per decision (PRODUCT §3.2), and the one path they share: lock,
check the move, record the decision and its event, tell the requester after
commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from casework.services.step_up import social_care_referrals_for_step_up
from core import clock
from core.errors import Conflict, InvalidInput
from core.history import LIVE, Mode, Rule
from core.notifications import Message, notifications_queue
from family_connect import events as form_events
from family_connect.models import FamilyConnectForm, FormDecision, FormStatus
from family_connect.references import status_token
from family_connect.transitions import can_decide
from localities.models import CommunityService
from triage.services.allocation import allocation_apply
from triage.services.guards import (
    changed_since_message,
    form_locked,
    reason_checked,
    refuse_if_stale,
)


@dataclass(frozen=True)
class Decided:
    form: FamilyConnectForm
    decision: FormDecision | None


def _refuse_if_moved(form: FamilyConnectForm, outcome: str) -> None:
    if can_decide(form.status, outcome):
        return
    if form.status == FormStatus.SUBMITTED:
        raise InvalidInput("This decision is not possible for this form.")
    raise Conflict(changed_since_message(form))


def _decide(
    *,
    form_id: int,
    actor: User,
    outcome: str,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
    **links: Any,
) -> Decided:
    now = clock.now()
    reason = reason_checked(reason, mode)
    with transaction.atomic():
        form = form_locked(form_id, actor, mode)
        refuse_if_stale(form, seen_version)
        _refuse_if_moved(form, outcome)
        before = form.status
        messages: list[Message] = []
        duplicate_of = links.pop("duplicate_of", None)
        if duplicate_of is not None:
            check_original(form, duplicate_of)
            form.duplicate_of = duplicate_of
        if outcome == FormStatus.ALLOCATED:
            links, messages = allocation_apply(form, actor, now, links, mode)
        elif duplicate_of is None and outcome == FormStatus.DUPLICATE:
            if mode.holds(Rule.DUPLICATE_NAMES_ITS_ORIGINAL):
                raise InvalidInput(
                    "Enter the reference of the form it duplicates.",
                    field="duplicate_of",
                )
        elif outcome == FormStatus.STEPPED_UP:
            social_care_referrals_for_step_up(
                form=form, actor=actor, at=now, reason=reason
            )
        form.status = outcome
        form.save(
            update_fields=["status", "case", "family", "duplicate_of", "updated_at"]
        )
        decision = FormDecision.objects.create(
            form=form,
            outcome=outcome,
            decided_by=actor,
            decided_at=now,
            reason=reason,
            **links,
        )
        form_events.decided(
            form,
            actor=actor,
            at=now,
            before=before,
            outcome=outcome,
            reason=reason,
            duplicate_of=duplicate_of.reference if duplicate_of else None,
            links=links,
        ).save()
        messages += requester_told(form)
        notifications_queue(messages, mode=mode)
    return Decided(form, decision)


def check_original(form: FamilyConnectForm, original: FamilyConnectForm) -> None:
    if original.pk == form.pk:
        raise InvalidInput("A form cannot duplicate itself.", field="duplicate_of")
    if original.status in (FormStatus.DUPLICATE, FormStatus.WITHDRAWN):
        raise InvalidInput(
            "The original form is itself closed as a duplicate or withdrawn: "
            "link to the form that is being worked with.",
            field="duplicate_of",
        )


def requester_told(form: FamilyConnectForm) -> list[Message]:
    """The decision, by reference only, with the private link that shows it and
    asks the one feedback question."""
    to = form.requester.email if form.requester is not None else form.contact_email
    if not to:
        return []
    link = settings.SITE_URL + reverse(
        "family_connect:status", args=[status_token(form.status_key)]
    )
    return [
        Message(
            key=f"decision:{form.reference}:{form.status}",
            to=to,
            subject=f"Decision on Family Connect Form {form.reference}",
            body=(
                f"A decision has been made on Family Connect Form {form.reference}."
                f"\n\nSee it, and tell us in one click how easy it was to get help:"
                f"\n{link}\n"
            ),
        )
    ]


def form_allocate(
    *,
    form_id: int,
    actor: User,
    lead_practitioner: User,
    reason: str,
    opened_at: datetime | None = None,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    """Allocate to a lead practitioner: opens the family's case, or joins the open
    one. The form must have a locality."""
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.ALLOCATED,
        reason=reason,
        lead_practitioner=lead_practitioner,
        opened_at=opened_at,
        seen_version=seen_version,
        mode=mode,
    )


def form_signpost(
    *,
    form_id: int,
    actor: User,
    community_service: CommunityService | None,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    """Signpost the family to a named community service: an active one of the
    form's locality, or a city-wide one (history may not name it)."""
    locality_id = (
        FamilyConnectForm.objects.filter(pk=form_id)
        .values_list("locality_id", flat=True)
        .first()
    )
    if community_service is None:
        if mode.holds(Rule.COMMUNITY_SERVICE_NAMED):
            raise InvalidInput(
                "Choose the community service.", field="community_service"
            )
    elif not community_service.active or community_service.locality_id not in (
        None,
        locality_id,
    ):
        raise InvalidInput(
            "Choose a service from the locality's directory.",
            field="community_service",
        )
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.SIGNPOSTED,
        reason=reason,
        community_service=community_service,
        seen_version=seen_version,
        mode=mode,
    )


def form_give_consultation(
    *,
    form_id: int,
    actor: User,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.CONSULTATION_GIVEN,
        reason=reason,
        seen_version=seen_version,
        mode=mode,
    )


def form_step_up(
    *,
    form_id: int,
    actor: User,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    """Pass the family to children's social care."""
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.STEPPED_UP,
        reason=reason,
        seen_version=seen_version,
        mode=mode,
    )


def form_no_further_action(
    *,
    form_id: int,
    actor: User,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.NO_FURTHER_ACTION,
        reason=reason,
        seen_version=seen_version,
        mode=mode,
    )


def form_mark_duplicate(
    *,
    form_id: int,
    actor: User,
    duplicate_of: FamilyConnectForm | None,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    """Close a waiting form as a duplicate of another that is being worked with
    (not itself, not one closed as a duplicate or withdrawn). A decided form is
    closed by ``form_close_decided``."""
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.DUPLICATE,
        reason=reason,
        duplicate_of=duplicate_of,
        seen_version=seen_version,
        mode=mode,
    )


def form_withdraw(
    *,
    form_id: int,
    actor: User,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    """Close a waiting form as withdrawn; a decided one is closed by
    ``form_close_decided``."""
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.WITHDRAWN,
        reason=reason,
        seen_version=seen_version,
        mode=mode,
    )
