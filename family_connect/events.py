"""What can happen to a Family Connect Form: the kinds of ``FormEvent`` and one
builder each.

A builder returns an unsaved row; intake's and triage's services save it in
their transaction, and the records import batches the same rows. So a kind and
the shape of its ``data`` are written once, here, whoever records it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models

if TYPE_CHECKING:
    from accounts.models import User
    from family_connect.models import (
        CrossLocalityLink,
        FamilyConnectForm,
        FormEvent,
        MatchCandidate,
    )


class Kind(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    MATCHED = "matched", "Possible matches found"
    ATTACHED_TO_CASE = "attached_to_case", "Attached to the family's open case"
    DECIDED = "decided", "Decided"
    TRANSFERRED = "transferred", "Transferred to another locality"
    STATUS_CHANGED = "status_changed", "Status changed after the decision"
    MATCH_CONFIRMED = "match_confirmed", "Match confirmed"
    MATCH_REJECTED = "match_rejected", "Match rejected"
    FEEDBACK_GIVEN = "feedback_given", "Requester's feedback given"


def _row(
    form: FamilyConnectForm,
    kind: Kind,
    *,
    actor: User | None,
    at: datetime,
    data: dict[str, Any],
) -> FormEvent:
    # The model is looked up by name: family_connect.models takes ``Kind`` from here.
    model = apps.get_model("family_connect", "FormEvent")
    row: FormEvent = model(form=form, actor=actor, at=at, kind=kind, data=data)
    return row


def submitted(
    form: FamilyConnectForm,
    *,
    actor: User | None,
    at: datetime,
    locality_slug: str | None,
) -> FormEvent:
    """The form received, by its route, into ``locality_slug``'s queue (or none:
    the city-wide unresolved queue)."""
    return _row(
        form,
        Kind.SUBMITTED,
        actor=actor,
        at=at,
        data={
            "route": form.route,
            "locality": locality_slug or None,
            "safeguarding_concern": form.safeguarding_concern,
        },
    )


def matched(
    form: FamilyConnectForm,
    *,
    at: datetime,
    family_ids: Iterable[int],
    person_ids: Iterable[int],
) -> FormEvent:
    """Likely matches stored for triage to confirm or reject."""
    return _row(
        form,
        Kind.MATCHED,
        actor=None,
        at=at,
        data={"households": list(family_ids), "people": list(person_ids)},
    )


def attached_to_case(
    form: FamilyConnectForm, *, at: datetime, case_id: int, lead_id: int | None
) -> FormEvent:
    """A strongly matched form attached to the family's open case on receipt."""
    return _row(
        form,
        Kind.ATTACHED_TO_CASE,
        actor=None,
        at=at,
        data={"case": case_id, "lead_practitioner": lead_id},
    )


def transferred(
    form: FamilyConnectForm,
    *,
    actor: User | None,
    at: datetime,
    from_locality_id: int | None,
    to_locality_id: int,
    reason: str,
) -> FormEvent:
    return _row(
        form,
        Kind.TRANSFERRED,
        actor=actor,
        at=at,
        data={"from": from_locality_id, "to": to_locality_id, "reason": reason},
    )


def decided(
    form: FamilyConnectForm,
    *,
    actor: User | None,
    at: datetime,
    before: str,
    outcome: str,
    reason: str,
    duplicate_of: str | None = None,
    links: Mapping[str, Any] | None = None,
) -> FormEvent:
    """The triage decision: ``before`` → ``outcome``. ``duplicate_of`` is the
    original's reference; ``links`` the decision's case, lead practitioner or
    community service (rows or keys; kept as keys)."""
    return _row(
        form,
        Kind.DECIDED,
        actor=actor,
        at=at,
        data={
            "from": before,
            "to": outcome,
            "reason": reason,
            "duplicate_of": duplicate_of,
            **{k: getattr(v, "pk", v) for k, v in (links or {}).items()},
        },
    )


def status_changed(
    form: FamilyConnectForm,
    *,
    actor: User | None,
    at: datetime,
    before: str,
    outcome: str,
    reason: str,
    duplicate_of: str | None = None,
    referrals_removed: Iterable[int] = (),
) -> FormEvent:
    """A decided form closed (withdrawn, duplicate) after its decision; the
    step-up referrals it withdrew are named only when there were some."""
    removed = list(referrals_removed)
    return _row(
        form,
        Kind.STATUS_CHANGED,
        actor=actor,
        at=at,
        data={
            "from": before,
            "to": outcome,
            "reason": reason,
            "duplicate_of": duplicate_of,
            **({"social_care_referrals_removed": removed} if removed else {}),
        },
    )


def _match_data(
    candidate: MatchCandidate, link: CrossLocalityLink | None
) -> dict[str, Any]:
    return {
        "candidate": candidate.pk,
        "family": candidate.family_id,
        "person": candidate.person_id,
        **(
            {"cross_locality_link": link.pk, "reason": link.reason}
            if link is not None
            else {}
        ),
    }


def match_confirmed(
    form: FamilyConnectForm,
    *,
    actor: User,
    at: datetime,
    candidate: MatchCandidate,
    link: CrossLocalityLink | None,
) -> FormEvent:
    """A likely match confirmed; ``link`` when it crossed localities."""
    return _row(
        form,
        Kind.MATCH_CONFIRMED,
        actor=actor,
        at=at,
        data=_match_data(candidate, link),
    )


def match_rejected(
    form: FamilyConnectForm,
    *,
    actor: User,
    at: datetime,
    candidate: MatchCandidate,
) -> FormEvent:
    return _row(
        form,
        Kind.MATCH_REJECTED,
        actor=actor,
        at=at,
        data=_match_data(candidate, None),
    )


def feedback_given(form: FamilyConnectForm, *, at: datetime, score: int) -> FormEvent:
    """The requester's feedback on the service (the score only)."""
    return _row(form, Kind.FEEDBACK_GIVEN, actor=None, at=at, data={"score": score})
