"""What can happen to a case: the kinds of ``CaseEvent`` and one builder each.

A builder returns an unsaved row; a service saves it in its transaction, and
the records import batches the same rows. So a kind and the shape of its
``data`` are written once, here, whoever records it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models

if TYPE_CHECKING:
    from accounts.models import User
    from casework.models import Case, CaseEvent
    from families.models import Person
    from family_connect.models import FamilyConnectForm


class Kind(models.TextChoices):
    OPENED = "opened", "Opened"
    FORM_LINKED = "form_linked", "Form linked"
    PERSON_ADDED = "person_added", "Person added"
    TEAM_MEMBER_ADDED = "team_member_added", "Team member added"
    TEAM_MEMBER_REMOVED = "team_member_removed", "Team member removed"
    ASSESSMENT_STARTED = "assessment_started", "Assessment started"
    ASSESSMENT_COMPLETED = "assessment_completed", "Assessment completed"
    PLAN_OUTCOME_ADDED = "plan_outcome_added", "Plan outcome added"
    PLAN_ACTION_ADDED = "plan_action_added", "Plan action added"
    PLAN_ACTION_UPDATED = "plan_action_updated", "Plan action updated"
    PLAN_OUTCOME_EDITED = "plan_outcome_edited", "Plan outcome edited"
    PLAN_ACTION_EDITED = "plan_action_edited", "Plan action edited"
    REVIEW_HELD = "review_held", "Review held"
    STEPPED_UP = "stepped_up", "Stepped up"
    STEP_UP_OUTCOME = "step_up_outcome", "Step up outcome"
    CLOSED = "closed", "Closed"
    CLOSURE_SIGNED_OFF = "closure_signed_off", "Closure signed off"
    REOPENED = "reopened", "Reopened"
    NOTE_AMENDED = "note_amended", "Note amended"
    DOCUMENT_UPLOADED = "document_uploaded", "Document uploaded"
    DOCUMENT_DOWNLOADED = "document_downloaded", "Document downloaded"
    CONTACT_ADDED = "contact_added", "Professional contact added"
    CONTACT_EDITED = "contact_edited", "Professional contact changed"
    CONSENT_RECORDED = "consent_recorded", "Consent recorded"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"
    CONSENT_OVERRIDDEN = "consent_overridden", "Consent withdrawal overridden"


def _row(
    case: Case | int,
    kind: Kind,
    *,
    actor: User | None,
    at: datetime,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    # The model is looked up by name: casework.models takes ``Kind`` from here.
    model = apps.get_model("casework", "CaseEvent")
    subject: dict[str, Case | int] = (
        {"case_id": case} if isinstance(case, int) else {"case": case}
    )
    row: CaseEvent = model(actor=actor, at=at, kind=kind, data=data or {}, **subject)
    return row


def opened(
    case: Case, *, actor: User | None, at: datetime, form: FamilyConnectForm
) -> CaseEvent:
    """The case opened by allocating ``form`` (its reference is kept)."""
    return _row(case, Kind.OPENED, actor=actor, at=at, data={"form": form.reference})


def form_linked(
    case: Case, *, actor: User | None, at: datetime, form: FamilyConnectForm
) -> CaseEvent:
    """A later form allocated to the open case."""
    return _row(
        case, Kind.FORM_LINKED, actor=actor, at=at, data={"form": form.reference}
    )


def person_added(
    case: Case, *, actor: User | None, at: datetime, person: Person, new: bool
) -> CaseEvent:
    """Someone added to the case on its page; ``new`` when they were not yet in
    the household's records."""
    return _row(
        case,
        Kind.PERSON_ADDED,
        actor=actor,
        at=at,
        data={"person": person.pk, "new": new},
    )


def team_member_added(
    case: Case, *, actor: User | None, at: datetime, user: User
) -> CaseEvent:
    return _row(
        case, Kind.TEAM_MEMBER_ADDED, actor=actor, at=at, data={"user": user.pk}
    )


def team_member_removed(
    case: Case,
    *,
    actor: User | None,
    at: datetime,
    user_id: int,
    role_changed: bool = False,
) -> CaseEvent:
    """Someone taken off the team: by a practitioner, or because their role or
    localities changed and no longer allow the place (``role_changed``)."""
    data: dict[str, Any] = {"user": user_id}
    if role_changed:
        data["reason"] = "role_change"
    return _row(case, Kind.TEAM_MEMBER_REMOVED, actor=actor, at=at, data=data)


def assessment_started(case: Case, *, actor: User | None, at: datetime) -> CaseEvent:
    return _row(case, Kind.ASSESSMENT_STARTED, actor=actor, at=at)


def assessment_completed(case: Case, *, actor: User | None, at: datetime) -> CaseEvent:
    return _row(case, Kind.ASSESSMENT_COMPLETED, actor=actor, at=at)


def plan_outcome_added(
    case: Case, *, actor: User | None, at: datetime, outcome_id: int
) -> CaseEvent:
    return _row(
        case,
        Kind.PLAN_OUTCOME_ADDED,
        actor=actor,
        at=at,
        data={"outcome": outcome_id},
    )


def plan_action_added(
    case: Case, *, actor: User | None, at: datetime, action_id: int
) -> CaseEvent:
    return _row(
        case, Kind.PLAN_ACTION_ADDED, actor=actor, at=at, data={"action": action_id}
    )


def plan_action_updated(
    case: Case | int,
    *,
    actor: User | None,
    at: datetime,
    action_id: int,
    before: str,
    after: str,
) -> CaseEvent:
    """An action's status changed from ``before`` to ``after``."""
    return _row(
        case,
        Kind.PLAN_ACTION_UPDATED,
        actor=actor,
        at=at,
        data={"action": action_id, "from": before, "to": after},
    )


def plan_outcome_edited(
    case: Case | int,
    *,
    actor: User | None,
    at: datetime,
    outcome_id: int,
    changes: dict[str, dict[str, Any]],
) -> CaseEvent:
    """An outcome corrected: ``changes`` maps each changed field to its value
    ``from`` and ``to``."""
    return _row(
        case,
        Kind.PLAN_OUTCOME_EDITED,
        actor=actor,
        at=at,
        data={"outcome": outcome_id, "changes": changes},
    )


def plan_action_edited(
    case: Case | int,
    *,
    actor: User | None,
    at: datetime,
    action_id: int,
    changes: dict[str, dict[str, Any]],
) -> CaseEvent:
    """An action corrected (what, who, by when, community resource):
    ``changes`` maps each changed field to its value ``from`` and ``to`` (the
    owner as a user id, or ``"family"``; a date in ISO form)."""
    return _row(
        case,
        Kind.PLAN_ACTION_EDITED,
        actor=actor,
        at=at,
        data={"action": action_id, "changes": changes},
    )


def review_held(
    case: Case, *, actor: User | None, at: datetime, review_id: int
) -> CaseEvent:
    return _row(case, Kind.REVIEW_HELD, actor=actor, at=at, data={"review": review_id})


def stepped_up(
    case: Case,
    *,
    actor: User | None,
    at: datetime,
    person_ids: Iterable[int],
    actor_role: str = "",
) -> CaseEvent:
    """People on the case referred to children's social care. ``actor_role``
    says in what capacity the actor did it, then: ``lead_practitioner``, or
    their role's code (the lead may change later)."""
    data: dict[str, Any] = {"people": list(person_ids)}
    if actor_role:
        data["actor_role"] = actor_role
    return _row(case, Kind.STEPPED_UP, actor=actor, at=at, data=data)


def step_up_outcome(
    case: Case | int,
    *,
    actor: User | None,
    at: datetime,
    referral_id: int,
    outcome: str,
) -> CaseEvent:
    """What social care decided about a step-up referral."""
    return _row(
        case,
        Kind.STEP_UP_OUTCOME,
        actor=actor,
        at=at,
        data={"referral": referral_id, "outcome": outcome},
    )


def closed(case: Case, *, actor: User | None, at: datetime, reason: str) -> CaseEvent:
    return _row(case, Kind.CLOSED, actor=actor, at=at, data={"reason": reason})


def closure_signed_off(
    case: Case | int, *, actor: User | None, at: datetime
) -> CaseEvent:
    return _row(case, Kind.CLOSURE_SIGNED_OFF, actor=actor, at=at)


def reopened(case: Case, *, actor: User | None, at: datetime, reason: str) -> CaseEvent:
    return _row(case, Kind.REOPENED, actor=actor, at=at, data={"reason": reason})


def note_amended(
    case: Case | int,
    *,
    actor: User | None,
    at: datetime,
    note_id: int,
    amendment_id: int,
) -> CaseEvent:
    """A chronology note amended; the amendment row keeps the text before and
    after and the reason."""
    return _row(
        case,
        Kind.NOTE_AMENDED,
        actor=actor,
        at=at,
        data={"note": note_id, "amendment": amendment_id},
    )


def document_uploaded(
    case: Case | int,
    *,
    actor: User | None,
    at: datetime,
    document_id: int,
    title: str,
    shared: bool,
) -> CaseEvent:
    """A document added to the case (its title as given, and whether the
    partners on the team may see it)."""
    return _row(
        case,
        Kind.DOCUMENT_UPLOADED,
        actor=actor,
        at=at,
        data={"document": document_id, "title": title, "shared": shared},
    )


def document_downloaded(
    case: Case | int,
    *,
    actor: User | None,
    at: datetime,
    document_id: int,
    title: str,
) -> CaseEvent:
    """A document of the case downloaded."""
    return _row(
        case,
        Kind.DOCUMENT_DOWNLOADED,
        actor=actor,
        at=at,
        data={"document": document_id, "title": title},
    )


def contact_added(
    case: Case | int, *, actor: User | None, at: datetime, contact_id: int
) -> CaseEvent:
    """A professional around the family (GP, school, …) added to the case."""
    return _row(
        case, Kind.CONTACT_ADDED, actor=actor, at=at, data={"contact": contact_id}
    )


def contact_edited(
    case: Case | int,
    *,
    actor: User | None,
    at: datetime,
    contact_id: int,
    changes: dict[str, dict[str, Any]],
) -> CaseEvent:
    """A professional contact corrected: ``changes`` maps each changed field to
    its value ``from`` and ``to``."""
    return _row(
        case,
        Kind.CONTACT_EDITED,
        actor=actor,
        at=at,
        data={"contact": contact_id, "changes": changes},
    )


def consent_recorded(
    case: Case | int,
    *,
    actor: User | None,
    at: datetime,
    consent_ids: Iterable[int],
    form: FamilyConnectForm | None = None,
) -> CaseEvent:
    """Consent recorded for people on the case: on its page, or carried from
    the Family Connect Form ``form`` when it was allocated."""
    data: dict[str, Any] = {"consents": list(consent_ids)}
    if form is not None:
        data["form"] = form.reference
    return _row(case, Kind.CONSENT_RECORDED, actor=actor, at=at, data=data)


def consent_withdrawn(
    case: Case | int,
    *,
    actor: User | None,
    at: datetime,
    consent_id: int,
    withdrawal_id: int,
) -> CaseEvent:
    """A person's consent withdrawn (the withdrawal row says who and when)."""
    return _row(
        case,
        Kind.CONSENT_WITHDRAWN,
        actor=actor,
        at=at,
        data={"consent": consent_id, "withdrawal": withdrawal_id},
    )


def consent_overridden(
    case: Case | int,
    *,
    actor: User | None,
    at: datetime,
    withdrawal_id: int,
    override_id: int,
) -> CaseEvent:
    """A manager kept partners' access despite a withdrawal, with a reason."""
    return _row(
        case,
        Kind.CONSENT_OVERRIDDEN,
        actor=actor,
        at=at,
        data={"withdrawal": withdrawal_id, "override": override_id},
    )
