"""Audit rounds and case audits (services): set up a round, draw its sample and
open it, grade, moderate, follow up, close. Each service owns its transaction,
locks what it changes and writes an audit event."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from audits import events
from audits.codes import AuditType
from audits.models import (
    ActionStatus,
    AuditAction,
    AuditAnswer,
    AuditDomain,
    AuditGrade,
    AuditQuestion,
    AuditRound,
    AuditTemplate,
    CaseAudit,
    CaseAuditStatus,
    RoundStatus,
)
from audits.sampling import assign, draw, eligible_cases
from casework.grants import VIEW, case_grant, case_revoke
from casework.models import Case, CaseMember
from core import clock
from core.errors import Conflict, InvalidInput, NotAllowed, Problem, refuse_if_any
from core.periods import before_today
from localities.models import Locality

MAX_SAMPLE = 50


@dataclass(frozen=True)
class RoundInput:
    type: str
    title: str
    period_start: date
    period_end: date
    locality_slugs: list[str]
    sample_size: int
    due_on: date
    auditor_emails: list[str]
    moderator_email: str
    template_id: int | None = None


def _auditors(
    emails: list[str], field_name: str, problems: list[Problem]
) -> list[User]:
    """The active auditors with these e-mail addresses; any that are not are
    added to ``problems``."""
    wanted = {e.strip().lower() for e in emails if e.strip()}
    found = list(
        User.objects.filter(email__in=wanted, is_active=True, role=Role.AUDITOR)
    )
    missing = wanted - {u.email.lower() for u in found}
    if missing:
        problems.append(
            (
                field_name,
                "These are not active auditors: " + ", ".join(sorted(missing)),
            )
        )
    return found


ROUND_DUE_IN_PAST = "The date the audits are due by must be today or in the future"
ACTION_DUE_IN_PAST = "The date the action is due by must be today or in the future"


def round_date_problems(
    *, period_start: date, period_end: date, due_on: date | None
) -> list[Problem]:
    """What is wrong with a round's dates: the period ends on or after the day
    it starts; the audits are due today or later."""
    problems: list[Problem] = []
    if period_end < period_start:
        problems.append(
            ("period_end", "The period must end on or after the day it starts")
        )
    if due_on is not None and before_today(due_on):
        problems.append(("due_on", ROUND_DUE_IN_PAST))
    return problems


def audit_round_create(*, actor: User, data: RoundInput) -> AuditRound:
    """Set up a round (not yet drawn). Preconditions: ``access.may_run_rounds``.
    Everything wrong with the set-up is refused at once."""
    problems: list[Problem] = []
    if not data.title.strip():
        problems.append(("title", "Enter a title for the round"))
    if data.type not in AuditType.values:
        problems.append(("type", "Select the type of audit"))
    problems += round_date_problems(
        period_start=data.period_start,
        period_end=data.period_end,
        due_on=data.due_on,
    )
    localities = list(Locality.objects.filter(slug__in=data.locality_slugs))
    if not localities or len(localities) != len(set(data.locality_slugs)):
        problems.append(("localities", "Select at least one locality"))
    if not 1 <= data.sample_size <= MAX_SAMPLE:
        problems.append(
            (
                "sample_size",
                f"Draw between 1 and {MAX_SAMPLE} cases from each locality",
            )
        )
    auditors = _auditors(data.auditor_emails, "auditors", problems)
    if not auditors and "auditors" not in {field for field, _ in problems}:
        problems.append(("auditors", "Enter at least one auditor's e-mail address"))
    moderators = _auditors([data.moderator_email], "moderator", problems)
    if not moderators and "moderator" not in {field for field, _ in problems}:
        problems.append(("moderator", "Enter the moderator's e-mail address"))
    templates = AuditTemplate.objects.filter(current=True)
    if data.template_id is not None:
        templates = templates.filter(pk=data.template_id)
    template = templates.order_by("name").first()
    if template is None:
        problems.append(("template", "There is no audit template to use"))
    refuse_if_any(problems)
    assert template is not None  # refused above
    now = clock.now()
    with transaction.atomic():
        audit_round = AuditRound.objects.create(
            type=data.type,
            title=data.title.strip(),
            period_start=data.period_start,
            period_end=data.period_end,
            sample_size=data.sample_size,
            due_on=data.due_on,
            template=template,
            moderator=moderators[0],
            created_by=actor,
        )
        audit_round.localities.set(localities)
        audit_round.auditors.set(auditors)
        events.round_created(
            audit_round, actor=actor, at=now, locality_slugs=list(data.locality_slugs)
        ).save()
    return audit_round


def audit_sample_draw(
    *, round_id: int, actor: User, seed: int | None = None
) -> list[CaseAudit]:
    """Draw the round's sample (stratified by locality, reproducible from the
    recorded seed), assign each case to an auditor, grant the auditors and the
    moderator read access to their cases, and open the round."""
    now = clock.now()
    with transaction.atomic():
        audit_round = AuditRound.objects.select_for_update().get(pk=round_id)
        if audit_round.status != RoundStatus.DRAFT:
            raise Conflict("The sample for this round has already been drawn.")
        seed = seed if seed is not None else secrets.randbelow(2**53)
        localities = sorted(audit_round.localities.all(), key=lambda loc: loc.slug)
        auditors = list(audit_round.auditors.all())
        drawn: list[int] = []
        for locality in localities:
            candidates = eligible_cases(
                audit_type=audit_round.type,
                locality_ids=[locality.pk],
                period_start=audit_round.period_start,
                period_end=audit_round.period_end,
                now=now,
            ).values_list("pk", flat=True)
            drawn += draw(
                list(candidates),
                audit_round.sample_size,
                seed=seed,
                stratum=locality.slug,
            )
        if not drawn:
            raise InvalidInput(
                "No case is eligible for this round: none was open in the period "
                "in these localities, or all were audited in the last six months.",
                field="localities",
            )
        by_pk = Case.objects.select_related("lead_practitioner").in_bulk(drawn)
        cases = [by_pk[pk] for pk in drawn]
        chosen = assign(cases, auditors)
        audits = CaseAudit.objects.bulk_create(
            [
                CaseAudit(
                    round=audit_round,
                    case=case,
                    locality_id=case.locality_id,
                    type=audit_round.type,
                    template=audit_round.template,
                    auditor=chosen[case.pk],
                    assigned_at=now,
                )
                for case in cases
            ]
        )
        for case in cases:
            case_grant(chosen[case.pk], case, VIEW)
            case_grant(audit_round.moderator, case, VIEW)
        audit_round.seed = seed
        audit_round.drawn_at = now
        audit_round.status = RoundStatus.OPEN
        audit_round.save(update_fields=["seed", "drawn_at", "status", "updated_at"])
        events.sample_drawn(
            audit_round, actor=actor, at=now, seed=seed, case_ids=drawn
        ).save()
    return audits


def audit_round_close(*, round_id: int, actor: User) -> AuditRound:
    """Close a round once every audit in it is finalised; the auditors' and
    the moderator's access to its cases ends here."""
    now = clock.now()
    with transaction.atomic():
        audit_round = AuditRound.objects.select_for_update().get(pk=round_id)
        if audit_round.status != RoundStatus.OPEN:
            raise Conflict("Only an open round can be closed.")
        audits = list(audit_round.audits.select_related("case", "auditor"))
        unfinished = sum(1 for a in audits if a.status != CaseAuditStatus.FINALISED)
        if unfinished:
            raise NotAllowed(
                f"{unfinished} of the round's {len(audits)} audits "
                f"{'is' if unfinished == 1 else 'are'} not finalised yet."
            )
        _revoke_round_access(audit_round, audits)
        audit_round.status = RoundStatus.CLOSED
        audit_round.closed_at = now
        audit_round.save(update_fields=["status", "closed_at", "updated_at"])
        events.round_closed(audit_round, actor=actor, at=now).save()
    return audit_round


def _revoke_round_access(audit_round: AuditRound, audits: list[CaseAudit]) -> None:
    """Take back the round's read grants, keeping any that team membership
    gives (an auditor's agency may also work with the family)."""
    on_team = set(
        CaseMember.objects.filter(case__in=[a.case_id for a in audits]).values_list(
            "case_id", "user_id"
        )
    )
    for audit in audits:
        for user in (audit.auditor, audit_round.moderator):
            if (audit.case_id, user.pk) not in on_team:
                case_revoke(user, audit.case, VIEW)


@dataclass(frozen=True)
class GradingInput:
    answers: dict[int, str] = field(default_factory=dict)  # question id → code
    comments: dict[int, str] = field(default_factory=dict)
    grade: str = ""
    strengths: str = ""
    improvements: str = ""
    family_feedback_sought: bool = False
    family_feedback: str = ""


def _grade_codes() -> set[str]:
    return set(AuditGrade.objects.values_list("code", flat=True))


def case_audit_save(
    *, audit_id: int, actor: User, data: GradingInput, submit: bool = False
) -> CaseAudit:
    """The auditor saves their grading as they go; submitting needs every
    question graded, an overall grade, strengths and areas for improvement.
    Preconditions: ``access.may_grade``."""
    now = clock.now()
    codes = _grade_codes()
    with transaction.atomic():
        audit = (
            CaseAudit.objects.select_for_update(of=("self",))
            .select_related("round")
            .get(pk=audit_id)
        )
        if audit.auditor_id != actor.pk or audit.round is None:
            raise NotAllowed("Only the assigned auditor grades this audit.")
        if audit.round.status != RoundStatus.OPEN:
            raise NotAllowed("The round is closed: nothing was changed.")
        if audit.status not in (CaseAuditStatus.ASSIGNED, CaseAuditStatus.IN_PROGRESS):
            raise Conflict("This audit has been submitted: nothing was changed.")
        questions = list(
            AuditQuestion.objects.filter(domain__template_id=audit.template_id)
        )
        known = {q.pk for q in questions}
        if set(data.answers) - known:
            raise InvalidInput("That question is not in this audit's template")
        # Everything wrong is refused at once, each against its question.
        problems: list[Problem] = []
        for question in questions:
            code = data.answers.get(question.pk)
            if code and code not in codes:
                problems.append(
                    (
                        f"q{question.pk}",
                        f"Select a grade on the scale for: {question.text}",
                    )
                )
            elif submit and not code:
                problems.append(
                    (f"q{question.pk}", f"Grade every question: {question.text}")
                )
        if data.grade and data.grade not in codes:
            problems.append(("grade", "Select the overall grade from the scale"))
        elif submit and not data.grade:
            problems.append(("grade", "Select the overall grade"))
        if submit:
            if not data.strengths.strip():
                problems.append(("strengths", "Enter the strengths"))
            if not data.improvements.strip():
                problems.append(("improvements", "Enter the areas for improvement"))
            if data.family_feedback_sought and not data.family_feedback.strip():
                problems.append(
                    (
                        "family_feedback",
                        "Enter what the family said, or untick that their feedback "
                        "was sought",
                    )
                )
        refuse_if_any(problems)
        existing = {a.question_id: a for a in audit.answers.all()}
        for question in questions:
            given = data.answers.get(question.pk) or None
            comment = data.comments.get(question.pk, "").strip()
            answer = existing.get(question.pk)
            if answer is None:
                AuditAnswer.objects.create(
                    audit=audit, question=question, grade_id=given, comment=comment
                )
            elif (answer.grade_id, answer.comment) != (given, comment):
                answer.grade_id = given
                answer.comment = comment
                answer.save(update_fields=["grade", "comment"])
        audit.grade_id = data.grade or None
        audit.strengths = data.strengths.strip()
        audit.improvements = data.improvements.strip()
        audit.family_feedback_sought = data.family_feedback_sought
        audit.family_feedback = data.family_feedback.strip()
        audit.status = (
            CaseAuditStatus.SUBMITTED if submit else CaseAuditStatus.IN_PROGRESS
        )
        if submit:
            audit.submitted_at = now
        audit.save(
            update_fields=[
                "grade",
                "strengths",
                "improvements",
                "family_feedback_sought",
                "family_feedback",
                "status",
                "submitted_at",
                "updated_at",
            ]
        )
        if submit:
            events.submitted(audit, actor=actor, at=now, grade=data.grade).save()
        else:
            events.saved(audit, actor=actor, at=now).save()
    return audit


def case_audit_moderate(
    *, audit_id: int, actor: User, grade: str = "", reason: str = ""
) -> CaseAudit:
    """The moderator agrees the auditor's grade or changes it with a reason
    (both are kept), and the audit is finalised: its final grade is what the
    reports count. Preconditions: ``access.may_moderate``."""
    now = clock.now()
    with transaction.atomic():
        audit = (
            CaseAudit.objects.select_for_update(of=("self",))
            .select_related("round")
            .get(pk=audit_id)
        )
        if audit.round is None or audit.round.moderator_id != actor.pk:
            raise NotAllowed("Only the round's moderator moderates its audits.")
        if audit.round.status != RoundStatus.OPEN:
            raise NotAllowed("The round is closed: nothing was changed.")
        if audit.status != CaseAuditStatus.SUBMITTED:
            raise Conflict(
                "Only a submitted audit can be moderated: nothing was changed."
            )
        changed = bool(grade) and grade != audit.grade_id
        if grade and grade not in _grade_codes():
            raise InvalidInput("Choose a grade from the scale", field="grade")
        if changed and not reason.strip():
            raise InvalidInput(
                "Give the reason for changing the auditor's grade", field="reason"
            )
        if changed:
            audit.moderated_grade_id = grade
            audit.moderation_reason = reason.strip()
        audit.moderated_by = actor
        audit.final_grade_id = grade if changed else audit.grade_id
        audit.status = CaseAuditStatus.FINALISED
        audit.finalised_at = now
        audit.save(
            update_fields=[
                "moderated_grade",
                "moderation_reason",
                "moderated_by",
                "final_grade",
                "status",
                "finalised_at",
                "updated_at",
            ]
        )
        moderation = events.moderated if changed else events.agreed
        moderation(audit, actor=actor, at=now).save()
    return audit


def audit_action_add(
    *, audit_id: int, actor: User, what: str, owner_email: str, due_on: date | None
) -> AuditAction:
    """A follow-up action from an audit, by its auditor or the round's moderator
    while the round is open."""
    now = clock.now()
    with transaction.atomic():
        audit = (
            CaseAudit.objects.select_for_update(of=("self",))
            .select_related("round")
            .get(pk=audit_id)
        )
        if audit.round is None or actor.pk not in (
            audit.auditor_id,
            audit.round.moderator_id,
        ):
            raise NotAllowed("Only the auditor or the moderator adds actions.")
        if audit.round.status != RoundStatus.OPEN:
            raise NotAllowed("The round is closed: nothing was changed.")
        problems: list[Problem] = []
        if not what.strip():
            problems.append(("what", "Enter what needs to happen"))
        owner = User.objects.filter(
            email__iexact=owner_email.strip(), is_active=True
        ).first()
        if owner is None:
            problems.append(
                ("owner", "The owner must be someone with an active account")
            )
        if due_on is None:
            problems.append(("due_on", "Enter the date the action is due by"))
        elif before_today(due_on):
            problems.append(("due_on", ACTION_DUE_IN_PAST))
        refuse_if_any(problems)
        assert owner is not None and due_on is not None  # refused above
        action = AuditAction.objects.create(
            audit=audit, what=what.strip(), owner=owner, due_on=due_on, created_at=now
        )
        events.action_added(
            audit, actor=actor, at=now, action_id=action.pk, owner=owner
        ).save()
    return action


def audit_action_complete(*, action_id: int, actor: User) -> AuditAction:
    """Mark a follow-up action done. Preconditions: ``access.may_update_action``."""
    now = clock.now()
    with transaction.atomic():
        action = AuditAction.objects.select_for_update().get(pk=action_id)
        if action.status == ActionStatus.DONE:
            raise Conflict("This action is already done.")
        action.status = ActionStatus.DONE
        action.done_at = now
        action.save(update_fields=["status", "done_at"])
        events.action_done(
            action.audit_id, actor=actor, at=now, action_id=action.pk
        ).save()
    return action


def audit_template_in_use(template: AuditTemplate) -> bool:
    """A template that a round or an audit has used is frozen: audits keep the
    questions they were graded on."""
    return template.rounds.exists() or template.audits.exists()


def audit_template_new_version(*, template_id: int, actor: User) -> AuditTemplate:
    """Copy a template's domains and questions into its next version, which new
    rounds use from now on; the old version stays as it was."""
    with transaction.atomic():
        old = AuditTemplate.objects.select_for_update().get(pk=template_id)
        latest = (
            AuditTemplate.objects.filter(name=old.name).order_by("-version").first()
        )
        assert latest is not None
        AuditTemplate.objects.filter(name=old.name, current=True).update(current=False)
        new = AuditTemplate.objects.create(
            name=old.name, version=latest.version + 1, current=True
        )
        for domain in old.domains.prefetch_related("questions"):
            copy = AuditDomain.objects.create(
                template=new, position=domain.position, title=domain.title
            )
            AuditQuestion.objects.bulk_create(
                [
                    AuditQuestion(
                        domain=copy,
                        position=q.position,
                        text=q.text,
                        guidance=q.guidance,
                    )
                    for q in domain.questions.all()
                ]
            )
        events.template_versioned(old, new, actor=actor, at=clock.now()).save()
    return new


def case_audits_from_history(
    *, case: Case, audits: list[dict], auditors: list[User]
) -> list[CaseAudit]:
    """Finalised audits brought in by the records import (IMPORT.md): no round,
    the recorded grade is the final grade, assigned when it was finalised. The
    caller saves them (one episode's, or a batch's, at once)."""
    return [
        CaseAudit(
            case=case,
            locality_id=case.locality_id,
            type=a["type"],
            auditor=auditor,
            assigned_at=a["finalised_at"],
            status=CaseAuditStatus.FINALISED,
            grade_id=a["grade"],
            final_grade_id=a["grade"],
            finalised_at=a["finalised_at"],
        )
        for a, auditor in zip(audits, auditors, strict=True)
    ]
