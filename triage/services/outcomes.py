"""One decision named by its outcome code, as the API and the triage page send
it, routed to its service.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from core.errors import InvalidInput, Problem, refuse_if_any
from family_connect.models import FamilyConnectForm, FormStatus
from localities.models import CommunityService, Locality
from triage.services.allocation import TRANSFER_FIRST
from triage.services.closing import form_close_decided
from triage.services.decisions import (
    form_allocate,
    form_give_consultation,
    form_mark_duplicate,
    form_no_further_action,
    form_signpost,
    form_step_up,
    form_withdraw,
)
from triage.services.transfers import form_transfer


def form_decide(
    *,
    form_id: int,
    actor: User,
    outcome: str,
    reason: str,
    lead_practitioner: User | None = None,
    community_service: CommunityService | None = None,
    duplicate_of: FamilyConnectForm | None = None,
    to_locality: Locality | None = None,
    seen_version: str | None = None,
) -> FamilyConnectForm:
    """Route one decision, as named by its outcome code, to its service (the API
    and the triage page take the outcome as data).

    Withdrawn or duplicate for a form already decided, from a manager who says
    which version they saw, is the closing action; without the version it is a
    decision, refused as the form is decided. (The status read here is not
    locked: the service checks the version under the lock, so a decision made
    in between is refused as ``Stale`` whichever way this routes.)"""
    # What the decision names besides its reason, said with the reason when
    # both are missing (the services check each again under the lock).
    links = {
        "transferred": (
            to_locality,
            "to_locality",
            "Choose the locality to transfer to.",
        ),
        FormStatus.ALLOCATED: (
            lead_practitioner,
            "lead_practitioner",
            "Choose a lead practitioner.",
        ),
        FormStatus.SIGNPOSTED: (
            community_service,
            "community_service",
            "Choose the community service.",
        ),
        FormStatus.DUPLICATE: (
            duplicate_of,
            "duplicate_of",
            "Enter the reference of the form it duplicates.",
        ),
    }
    if (
        outcome == FormStatus.ALLOCATED
        and FamilyConnectForm.objects.filter(pk=form_id, locality=None).exists()
    ):
        # Said before anything else: no lead practitioner can be chosen for a
        # form without a locality (``allocation_apply`` checks again under the
        # form's lock).
        raise InvalidInput(TRANSFER_FIRST, field="outcome")
    problems: list[Problem] = []
    if not (reason or "").strip():
        problems.append(("reason", "Enter the reason for the decision"))
    given, field, message = links.get(outcome, (True, "", ""))
    if given is None:
        problems.append((field, message))
    if len(problems) > 1:
        refuse_if_any(problems)
    if outcome in (FormStatus.WITHDRAWN, FormStatus.DUPLICATE) and (
        seen_version is not None
        and FamilyConnectForm.objects.filter(pk=form_id)
        .exclude(status=FormStatus.SUBMITTED)
        .exists()
    ):
        return form_close_decided(
            form_id=form_id,
            actor=actor,
            outcome=outcome,
            reason=reason,
            seen_version=seen_version,
            duplicate_of=duplicate_of,
        ).form
    if outcome == "transferred":
        if to_locality is None:
            raise InvalidInput(
                "Choose the locality to transfer to.", field="to_locality"
            )
        return form_transfer(
            form_id=form_id,
            actor=actor,
            to_locality=to_locality,
            reason=reason,
            seen_version=seen_version,
        )
    if outcome == FormStatus.ALLOCATED:
        if lead_practitioner is None:
            raise InvalidInput("Choose a lead practitioner.", field="lead_practitioner")
        return form_allocate(
            form_id=form_id,
            actor=actor,
            lead_practitioner=lead_practitioner,
            reason=reason,
            seen_version=seen_version,
        ).form
    if outcome == FormStatus.SIGNPOSTED:
        if community_service is None:
            raise InvalidInput(
                "Choose the community service.", field="community_service"
            )
        return form_signpost(
            form_id=form_id,
            actor=actor,
            community_service=community_service,
            reason=reason,
            seen_version=seen_version,
        ).form
    if outcome == FormStatus.DUPLICATE:
        if duplicate_of is None:
            raise InvalidInput(
                "Enter the reference of the form it duplicates.", field="duplicate_of"
            )
        return form_mark_duplicate(
            form_id=form_id,
            actor=actor,
            duplicate_of=duplicate_of,
            reason=reason,
            seen_version=seen_version,
        ).form
    simple: dict[str, Any] = {
        FormStatus.CONSULTATION_GIVEN: form_give_consultation,
        FormStatus.STEPPED_UP: form_step_up,
        FormStatus.NO_FURTHER_ACTION: form_no_further_action,
        FormStatus.WITHDRAWN: form_withdraw,
    }
    if outcome not in simple:
        raise InvalidInput("Choose a decision.", field="outcome")
    return simple[outcome](
        form_id=form_id, actor=actor, reason=reason, seen_version=seen_version
    ).form
