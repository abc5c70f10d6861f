"""What can happen in case file audit: the kinds of ``AuditEvent`` and one
builder each, returning an unsaved row that the service saves in its
transaction."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models

if TYPE_CHECKING:
    from accounts.models import User
    from audits.models import AuditEvent, AuditRound, AuditTemplate, CaseAudit


class Kind(models.TextChoices):
    ROUND_CREATED = "round_created", "Round created"
    SAMPLE_DRAWN = "sample_drawn", "Sample drawn"
    ROUND_CLOSED = "round_closed", "Round closed"
    SAVED = "saved", "Saved"
    SUBMITTED = "submitted", "Submitted"
    MODERATED = "moderated", "Moderated"
    AGREED = "agreed", "Agreed at moderation"
    ACTION_ADDED = "action_added", "Action added"
    ACTION_DONE = "action_done", "Action done"
    TEMPLATE_VERSIONED = "template_versioned", "Template versioned"


def _row(
    kind: Kind,
    *,
    actor: User | None,
    at: datetime,
    round: AuditRound | None = None,
    audit: CaseAudit | None = None,
    audit_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    # The model is looked up by name: audits.models takes ``Kind`` from here.
    model = apps.get_model("audits", "AuditEvent")
    subject: dict[str, Any] = {"round": round}
    if audit_id is not None:
        subject["audit_id"] = audit_id
    else:
        subject["audit"] = audit
    row: AuditEvent = model(actor=actor, at=at, kind=kind, data=data or {}, **subject)
    return row


def round_created(
    audit_round: AuditRound, *, actor: User, at: datetime, locality_slugs: list[str]
) -> AuditEvent:
    return _row(
        Kind.ROUND_CREATED,
        round=audit_round,
        actor=actor,
        at=at,
        data={"localities": sorted(locality_slugs)},
    )


def sample_drawn(
    audit_round: AuditRound,
    *,
    actor: User | None,
    at: datetime,
    seed: int,
    case_ids: list[int],
) -> AuditEvent:
    """The round's sample drawn with ``seed`` (kept so it can be drawn again)."""
    return _row(
        Kind.SAMPLE_DRAWN,
        round=audit_round,
        actor=actor,
        at=at,
        data={"seed": seed, "cases": case_ids},
    )


def round_closed(audit_round: AuditRound, *, actor: User, at: datetime) -> AuditEvent:
    return _row(Kind.ROUND_CLOSED, round=audit_round, actor=actor, at=at)


def saved(audit: CaseAudit, *, actor: User, at: datetime) -> AuditEvent:
    """An audit saved as a draft."""
    return _row(Kind.SAVED, audit=audit, actor=actor, at=at)


def submitted(audit: CaseAudit, *, actor: User, at: datetime, grade: str) -> AuditEvent:
    return _row(Kind.SUBMITTED, audit=audit, actor=actor, at=at, data={"grade": grade})


def moderated(audit: CaseAudit, *, actor: User, at: datetime) -> AuditEvent:
    """The moderator changed the auditor's grade."""
    return _row(
        Kind.MODERATED,
        audit=audit,
        actor=actor,
        at=at,
        data={"from": audit.grade_id, "to": audit.final_grade_id},
    )


def agreed(audit: CaseAudit, *, actor: User, at: datetime) -> AuditEvent:
    """The moderator agreed the auditor's grade."""
    return _row(
        Kind.AGREED,
        audit=audit,
        actor=actor,
        at=at,
        data={"from": audit.grade_id, "to": audit.final_grade_id},
    )


def action_added(
    audit: CaseAudit, *, actor: User, at: datetime, action_id: int, owner: User
) -> AuditEvent:
    return _row(
        Kind.ACTION_ADDED,
        audit=audit,
        actor=actor,
        at=at,
        data={"action": action_id, "owner": owner.email},
    )


def action_done(
    audit_id: int, *, actor: User, at: datetime, action_id: int
) -> AuditEvent:
    return _row(
        Kind.ACTION_DONE,
        audit_id=audit_id,
        actor=actor,
        at=at,
        data={"action": action_id},
    )


def template_versioned(
    old: AuditTemplate, new: AuditTemplate, *, actor: User, at: datetime
) -> AuditEvent:
    """A template changed: a new version, audits in progress keep the old."""
    return _row(
        Kind.TEMPLATE_VERSIONED,
        actor=actor,
        at=at,
        data={"template": old.name, "from": old.version, "to": new.version},
    )
