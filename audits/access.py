"""Who may see and do what in audits: the one choke point for rounds, case
audits and audit reports.

- Performance leads set up audit rounds, draw their samples, close them, and
  see every round and case audit (case numbers, localities, grades: no family
  details, which stay behind the case's own access check).
- Auditors see the case audits assigned to them; a round's moderator (an
  auditor) sees every case audit of that round. Both read the audited case itself
  only while the round is open, through the grants ``casework.access`` reads.
- Performance leads and locality managers read the audit reports (aggregate
  figures only).
- Owners of follow-up actions see and update those actions.

Everyone else sees nothing; out of scope answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts.access import Viewer, active_user
from accounts.roles import Role
from audits.models import AuditAction, AuditRound, CaseAudit


def may_run_rounds(user: Viewer) -> bool:
    return active_user(user) and user.role == Role.PERFORMANCE_LEAD


def may_open_audit_pages(user: Viewer) -> bool:
    """The audits pages: auditors, those who run rounds or read reports, and
    owners of follow-up actions (practitioners and managers)."""
    return active_user(user) and user.role in (
        Role.AUDITOR,
        Role.PERFORMANCE_LEAD,
        Role.LOCALITY_MANAGER,
        Role.PRACTITIONER,
    )


def may_read_reports(user: Viewer) -> bool:
    return active_user(user) and user.role in (
        Role.PERFORMANCE_LEAD,
        Role.LOCALITY_MANAGER,
    )


def round_queryset_for_user(user: Viewer) -> QuerySet[AuditRound]:
    rounds = AuditRound.objects.all()
    if not active_user(user):
        return rounds.none()
    if user.role == Role.PERFORMANCE_LEAD:
        return rounds
    if user.role == Role.AUDITOR:
        return rounds.filter(Q(auditors=user) | Q(moderator=user)).distinct()
    return rounds.none()


def round_get_for_user(user: Viewer, round_id: Any) -> AuditRound | None:
    try:
        pk = int(round_id)
    except (TypeError, ValueError):
        return None
    return (
        round_queryset_for_user(user)
        .select_related("template", "moderator", "created_by")
        .filter(pk=pk)
        .first()
    )


def case_audit_queryset_for_user(user: Viewer) -> QuerySet[CaseAudit]:
    audits = CaseAudit.objects.filter(round__isnull=False)
    if not active_user(user):
        return audits.none()
    if user.role == Role.PERFORMANCE_LEAD:
        return audits
    if user.role == Role.AUDITOR:
        return audits.filter(Q(auditor=user) | Q(round__moderator=user))
    return audits.none()


def case_audit_get_for_user(user: Viewer, audit_id: Any) -> CaseAudit | None:
    try:
        pk = int(audit_id)
    except (TypeError, ValueError):
        return None
    return (
        case_audit_queryset_for_user(user)
        .select_related(
            "round",
            "round__moderator",
            "case",
            "locality",
            "auditor",
            "template",
            "grade",
            "moderated_grade",
            "final_grade",
            "moderated_by",
        )
        .filter(pk=pk)
        .first()
    )


def may_grade(user: Viewer, audit: CaseAudit) -> bool:
    """The assigned auditor, while the round is open and before submission."""
    return (
        active_user(user)
        and audit.auditor_id == user.pk
        and audit.round is not None
        and audit.round.status == AuditRound.Status.OPEN
    )


def may_moderate(user: Viewer, audit: CaseAudit) -> bool:
    """The round's moderator, while the round is open."""
    return (
        active_user(user)
        and audit.round is not None
        and audit.round.moderator_id == user.pk
        and audit.round.status == AuditRound.Status.OPEN
    )


def action_queryset_for_user(user: Viewer) -> QuerySet[AuditAction]:
    """Follow-up actions the user owns, or may see through their audits."""
    if not active_user(user):
        return AuditAction.objects.none()
    return AuditAction.objects.filter(
        Q(owner=user) | Q(audit__in=case_audit_queryset_for_user(user))
    )


def may_update_action(user: Viewer, action: AuditAction) -> bool:
    """The action's owner, or the moderator of its audit's round."""
    if not active_user(user):
        return False
    if action.owner_id == user.pk:
        return True
    audit = action.audit
    return audit.round is not None and audit.round.moderator_id == user.pk
