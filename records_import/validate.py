"""Checking one line of an ``early-help-episode/1`` file (IMPORT.md).

``episode_validate`` reads one parsed JSON value and returns the typed episode
(``records_import.episodes``) with its date-times parsed, or every problem
found, each with the JSON path it is about (``request.received_at``,
``household.members[1].sex``) and a message a records officer can act on. The
field readers and the reference lists they check against are in
``records_import.checks``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from audits.codes import AuditType, Grade
from casework.models import Answer, ClosureReason, StepUpOutcome
from core.codes import Ethnicity, LevelOfNeed, MemberRole, Relationship, Sex
from family_connect.models import FormStatus, RequestType, Route
from family_connect.transitions import ALLOWED
from localities.postcodes import postcode_normalise
from records_import.checks import MAX_ID, Check, Problem, Reference, read
from records_import.episodes import (
    Assessment,
    Audit,
    Case,
    Closure,
    Decision,
    Episode,
    FamilyFeedback,
    Household,
    Member,
    Request,
    RequesterFeedback,
    Review,
    SocialCareReferral,
    StepUp,
    Transfer,
)

SCHEMA = "early-help-episode/1"
LONDON = ZoneInfo("Europe/London")
DECISION_OUTCOMES = sorted(
    ALLOWED[FormStatus.SUBMITTED] - {FormStatus.DUPLICATE, FormStatus.WITHDRAWN}
)
FINAL_STATUSES = [FormStatus.DUPLICATE.value, FormStatus.WITHDRAWN.value]


def episode_validate(raw: Any, ref: Reference) -> tuple[Episode | None, list[Problem]]:
    """The episode ready to import, or None and every problem found."""
    c = Check(ref)
    if not isinstance(raw, dict):
        return None, [Problem("", "each line must be a JSON object")]
    if raw.get("schema") != SCHEMA:
        c.bad("schema", f'must be "{SCHEMA}"')
    external_id = c.text(raw, "external_id", "external_id", max_length=MAX_ID)
    household, people, children = _household(c, raw)
    request = _request(c, raw, household.postcode)
    decision = request.decision
    outcome = decision.outcome if decision else None

    case_raw = c.obj(raw, "case", "case", optional=True)
    if outcome == FormStatus.ALLOCATED and case_raw is None:
        c.bad("case", "an allocated decision needs its case")
    if case_raw is not None and outcome != FormStatus.ALLOCATED:
        c.bad("case", 'a case needs a decision with outcome "allocated"')
    if outcome == FormStatus.ALLOCATED and request.final_locality is None:
        c.bad(
            "request.locality",
            "an allocated form needs a locality: give one, a Birmingham postcode, "
            "or a transfer",
        )
    decided = decision.decided_at if decision else None
    case = _case(c, case_raw, decided, people, children) if case_raw else None
    referrals = _referrals(c, raw, people)
    audits = _audits(c, raw, has_case=case_raw is not None)

    if c.problems:
        return None, c.problems
    episode = Episode(
        external_id=read(external_id),
        household=household,
        request=request,
        case=case,
        social_care_referrals=referrals,
        audits=audits,
    )
    return episode, []


# --- The household ------------------------------------------------------------


def _member(c: Check, raw: Any, path: str) -> Member | None:
    if not isinstance(raw, dict):
        c.bad(path, "must be an object")
        return None
    external_id = c.text(raw, "external_id", f"{path}.external_id", max_length=MAX_ID)
    role = c.code(raw, "role", f"{path}.role", MemberRole)
    given_name = c.text(raw, "given_name", f"{path}.given_name", max_length=100)
    family_name = c.text(raw, "family_name", f"{path}.family_name", max_length=100)
    sex = c.code(raw, "sex", f"{path}.sex", Sex, optional=True) or ""
    ethnicity = (
        c.code(raw, "ethnicity", f"{path}.ethnicity", Ethnicity, optional=True) or ""
    )
    relationship = (
        c.code(raw, "relationship", f"{path}.relationship", Relationship, optional=True)
        or ""
    )
    expected = c.boolean(raw, "expected", f"{path}.expected", default=False)
    dob = c.date(
        raw,
        "date_of_birth",
        f"{path}.date_of_birth",
        optional=role != MemberRole.CHILD,
    )
    if expected and role == MemberRole.ADULT:
        c.bad(f"{path}.expected", "only a child can be expected")
    if dob is not None and dob > c.ref.today and not expected:
        c.bad(
            f"{path}.date_of_birth",
            f"{dob.isoformat()} is in the future (an expected baby needs "
            '"expected": true)',
        )
    return Member(
        external_id=read(external_id),
        role=read(role),
        given_name=read(given_name),
        family_name=read(family_name),
        sex=sex,
        ethnicity=ethnicity,
        relationship=relationship,
        expected=read(expected),
        date_of_birth=dob,
    )


def _household(c: Check, raw: dict[str, Any]) -> tuple[Household, set[str], set[str]]:
    """The household, its people's external_ids and its children's."""
    household_raw = c.obj(raw, "household", "household") or {}
    postcode = None
    if household_raw:
        postcode_raw = household_raw.get("postcode")
        postcode = postcode_normalise(postcode_raw)
        if postcode is None:
            c.bad(
                "household.postcode",
                f"{postcode_raw!r} is not a postcode (like B23 6TJ)"
                if postcode_raw
                else "is required",
            )
    members = []
    for i, m in enumerate(
        c.array(household_raw, "members", "household.members", optional=False)
    ):
        member = _member(c, m, f"household.members[{i}]")
        if member is not None:
            members.append(member)
    named = [m.external_id for m in members if m.external_id]
    people = set(named)
    if len(people) < len(named):
        c.bad("household.members", "the same person external_id appears twice")
    children = {m.external_id for m in members if m.role == MemberRole.CHILD}
    if household_raw and not children:
        c.bad("household.members", "needs at least one child")
    household = Household(
        external_id=read(
            c.text(
                household_raw,
                "external_id",
                "household.external_id",
                max_length=MAX_ID,
            )
        ),
        postcode=read(postcode),
        address_line=c.text(
            household_raw, "address_line", "household.address_line", optional=True
        )
        or "",
        members=tuple(members),
    )
    return household, people, children


# --- The request and what became of it ----------------------------------------


def _request(c: Check, raw: dict[str, Any], postcode: str | None) -> Request:
    req = c.obj(raw, "request", "request") or {}
    route = c.code(req, "route", "request.route", Route)
    received = c.moment(req, "received_at", "request.received_at")
    request_type = c.code(req, "request_type", "request.request_type", RequestType)
    organisation = (
        c.text(req, "organisation", "request.organisation", optional=True) or ""
    )
    level_of_need = c.code(req, "level_of_need", "request.level_of_need", LevelOfNeed)
    consent = c.boolean(req, "consent", "request.consent", default=None)
    localities = sorted(c.ref.localities)
    locality = c.code(req, "locality", "request.locality", localities, optional=True)
    if locality is None and postcode is not None and "locality" not in req:
        locality = c.ref.locality_for_postcode(postcode)
    reasons = _reasons(c, req)
    if request_type == RequestType.SUPPORT and consent is False:
        c.bad("request.consent", "a support request needs the family's consent")
    closed_on = _closed_to_social_care_on(c, req, route, received)
    decision = _decision(c, req, received)
    decided = decision.decided_at if decision else None
    transfers = _transfers(c, req, received, decided)
    final_status = c.code(
        req, "final_status", "request.final_status", FINAL_STATUSES, optional=True
    )
    if (
        final_status is not None
        and decision
        and decision.outcome == FormStatus.ALLOCATED
    ):
        c.bad(
            "request.final_status",
            "an allocated form cannot become duplicate or withdrawn",
        )
    return Request(
        route=read(route),
        request_type=read(request_type),
        organisation=organisation,
        received_at=read(received),
        level_of_need=read(level_of_need),
        consent=read(consent),
        locality=locality,
        reasons=reasons,
        closed_to_social_care_on=closed_on,
        decision=decision,
        transfers=transfers,
        final_status=final_status,
        requester_feedback=_requester_feedback(c, req, received),
    )


def _reasons(c: Check, req: dict[str, Any]) -> tuple[str, ...]:
    known = c.ref.reasons
    reasons = c.array(req, "reasons", "request.reasons", optional=False)
    if req and not reasons:
        c.bad("request.reasons", "needs at least one reason")
    for i, reason in enumerate(reasons):
        if reason not in known:
            c.bad(
                f"request.reasons[{i}]",
                f"unknown code {reason!r}; use one of {', '.join(sorted(known))}",
            )
    return tuple(dict.fromkeys(r for r in reasons if r in known))


def _closed_to_social_care_on(
    c: Check, req: dict[str, Any], route: str | None, received: dt.datetime | None
) -> dt.date | None:
    key, path = "closed_to_social_care_on", "request.closed_to_social_care_on"
    closed_on = c.date(req, key, path, optional=True)
    if route == Route.STEP_DOWN and closed_on is None and key not in req:
        c.bad(path, "is required for a step-down")
    if route is not None and route != Route.STEP_DOWN and key in req:
        c.bad(path, "is only for step-down requests")
    if (
        closed_on is not None
        and received is not None
        and closed_on > received.astimezone(LONDON).date()
    ):
        c.bad(path, "is after the request was received")
    return closed_on


def _decision(
    c: Check, req: dict[str, Any], received: dt.datetime | None
) -> Decision | None:
    raw = c.obj(req, "decision", "request.decision", optional=True)
    if raw is None:
        return None
    path = "request.decision"
    outcome = c.code(raw, "outcome", f"{path}.outcome", DECISION_OUTCOMES)
    decided = c.moment(raw, "decided_at", f"{path}.decided_at")
    by = c.email(raw, "by", f"{path}.by")
    reason = (
        c.text(raw, "reason", f"{path}.reason", optional=True, max_length=5000) or ""
    )
    c.not_before(
        decided,
        received,
        f"{path}.decided_at",
        "the decision is before the request was received",
    )
    return Decision(
        outcome=read(outcome), decided_at=read(decided), by=read(by), reason=reason
    )


def _transfers(
    c: Check,
    req: dict[str, Any],
    received: dt.datetime | None,
    decided: dt.datetime | None,
) -> tuple[Transfer, ...]:
    transfers = []
    for i, t in enumerate(c.array(req, "transfers", "request.transfers")):
        path = f"request.transfers[{i}]"
        if not isinstance(t, dict):
            c.bad(path, "must be an object")
            continue
        to_locality = c.code(
            t, "to_locality", f"{path}.to_locality", sorted(c.ref.localities)
        )
        at = c.moment(t, "at", f"{path}.at")
        reason = c.text(t, "reason", f"{path}.reason", max_length=5000) or ""
        c.not_before(at, received, f"{path}.at", "is before the request was received")
        if at is not None and decided is not None and at >= decided:
            c.bad(f"{path}.at", "a transfer must be before the decision")
        transfers.append(
            Transfer(to_locality=read(to_locality), at=read(at), reason=reason)
        )
    return tuple(transfers)


def _requester_feedback(
    c: Check, req: dict[str, Any], received: dt.datetime | None
) -> RequesterFeedback | None:
    path = "request.requester_feedback"
    raw = c.obj(req, "requester_feedback", path, optional=True)
    if raw is None:
        return None
    score = c.number(raw, "score", f"{path}.score", 1, 5)
    given = c.moment(raw, "given_at", f"{path}.given_at")
    c.not_before(
        given, received, f"{path}.given_at", "is before the request was received"
    )
    return RequesterFeedback(score=read(score), given_at=read(given))


# --- The case -----------------------------------------------------------------


def _case(
    c: Check,
    raw: dict[str, Any],
    decided: dt.datetime | None,
    people: set[str],
    children: set[str],
) -> Case:
    opened = c.moment(raw, "opened_at", "case.opened_at")
    c.not_before(
        opened, decided, "case.opened_at", "the case is opened before its decision"
    )
    lead = c.email(raw, "lead_practitioner", "case.lead_practitioner")
    return Case(
        lead_practitioner=read(lead),
        opened_at=read(opened),
        assessment=_assessment(c, raw, opened, people),
        reviews=_reviews(c, raw, opened, people),
        step_ups=_step_ups(c, raw, opened, people),
        closure=_closure(c, raw, opened, people, children),
    )


def _after_opening(
    c: Check, when: dt.datetime | None, opened: dt.datetime | None, path: str, what: str
) -> None:
    c.not_before(when, opened, path, f"{what} before the case opened")


def _assessment(
    c: Check, raw: dict[str, Any], opened: dt.datetime | None, people: set[str]
) -> Assessment | None:
    path = "case.assessment"
    assessment = c.obj(raw, "assessment", path, optional=True)
    if assessment is None:
        return None
    completed = c.moment(assessment, "completed_at", f"{path}.completed_at")
    _after_opening(c, completed, opened, f"{path}.completed_at", "the assessment is")
    scaling = c.number(assessment, "scaling", f"{path}.scaling", 0, 10)
    wheel, person_scores = c.scores(assessment, path, people)
    return Assessment(
        completed_at=read(completed),
        scaling=read(scaling),
        wheel=wheel,
        person_scores=person_scores,
    )


def _reviews(
    c: Check, raw: dict[str, Any], opened: dt.datetime | None, people: set[str]
) -> tuple[Review, ...]:
    reviews = []
    for i, r in enumerate(c.array(raw, "reviews", "case.reviews")):
        path = f"case.reviews[{i}]"
        if not isinstance(r, dict):
            c.bad(path, "must be an object")
            continue
        held = c.moment(r, "held_at", f"{path}.held_at")
        _after_opening(c, held, opened, f"{path}.held_at", "the review is")
        scaling = c.number(r, "scaling", f"{path}.scaling", 0, 10)
        wheel, person_scores = c.scores(r, path, people)
        reviews.append(
            Review(
                held_at=read(held),
                scaling=read(scaling),
                wheel=wheel,
                person_scores=person_scores,
            )
        )
    return tuple(reviews)


def _step_ups(
    c: Check, raw: dict[str, Any], opened: dt.datetime | None, people: set[str]
) -> tuple[StepUp, ...]:
    step_ups = []
    for i, s in enumerate(c.array(raw, "step_ups", "case.step_ups")):
        path = f"case.step_ups[{i}]"
        if not isinstance(s, dict):
            c.bad(path, "must be an object")
            continue
        referred = c.moment(s, "referred_at", f"{path}.referred_at")
        _after_opening(c, referred, opened, f"{path}.referred_at", "the step-up is")
        person = c.person_ref(s, f"{path}.person", people)
        outcome = (
            c.code(s, "outcome", f"{path}.outcome", StepUpOutcome, optional=True) or ""
        )
        step_ups.append(
            StepUp(person=read(person), referred_at=read(referred), outcome=outcome)
        )
    return tuple(step_ups)


def _closure(
    c: Check,
    raw: dict[str, Any],
    opened: dt.datetime | None,
    people: set[str],
    children: set[str],
) -> Closure | None:
    path = "case.closure"
    closure = c.obj(raw, "closure", path, optional=True)
    if closure is None:
        return None
    closed = c.moment(closure, "closed_at", f"{path}.closed_at")
    _after_opening(c, closed, opened, f"{path}.closed_at", "the closure is")
    answers = _children_answers(c, closure, children)
    feedback = _family_feedback(c, closure)
    reason = c.code(closure, "reason", f"{path}.reason", ClosureReason)
    wheel, person_scores = c.scores(closure, path, people)
    return Closure(
        closed_at=read(closed),
        reason=read(reason),
        children=answers,
        family_feedback=feedback,
        wheel=wheel,
        person_scores=person_scores,
    )


def _children_answers(
    c: Check, closure: dict[str, Any], children: set[str]
) -> dict[str, dict[str, str]]:
    """Each child's happy / healthy / safe at closure."""
    answers = {}
    given_raw = c.obj(closure, "children", "case.closure.children", optional=True)
    for person, given in (given_raw or {}).items():
        path = f"case.closure.children.{person}"
        if person not in children:
            c.bad(path, "is not a child in the household")
            continue
        if not isinstance(given, dict):
            c.bad(path, "must be an object")
            continue
        answers[person] = {
            q: c.code(given, q, f"{path}.{q}", Answer, optional=True)
            or Answer.NOT_ASKED
            for q in ("happy", "healthy", "safe")
        }
    return answers


def _family_feedback(c: Check, closure: dict[str, Any]) -> FamilyFeedback | None:
    path = "case.closure.family_feedback"
    raw = c.obj(closure, "family_feedback", path, optional=True)
    if raw is None:
        return None
    score = c.number(raw, "score", f"{path}.score", 1, 5)
    comment = (
        c.text(raw, "comment", f"{path}.comment", optional=True, max_length=5000) or ""
    )
    return FamilyFeedback(score=read(score), comment=comment)


# --- After the case -----------------------------------------------------------


def _referrals(
    c: Check, raw: dict[str, Any], people: set[str]
) -> tuple[SocialCareReferral, ...]:
    referrals = []
    key = "social_care_referrals"
    for i, r in enumerate(c.array(raw, key, key)):
        path = f"{key}[{i}]"
        if not isinstance(r, dict):
            c.bad(path, "must be an object")
            continue
        person = c.person_ref(r, f"{path}.person", people)
        referred = c.moment(r, "referred_at", f"{path}.referred_at")
        referrals.append(
            SocialCareReferral(person=read(person), referred_at=read(referred))
        )
    return tuple(referrals)


def _audits(c: Check, raw: dict[str, Any], *, has_case: bool) -> tuple[Audit, ...]:
    audits = []
    audits_raw = c.array(raw, "audits", "audits")
    if audits_raw and not has_case:
        c.bad("audits", "audits need a case")
    for i, a in enumerate(audits_raw):
        path = f"audits[{i}]"
        if not isinstance(a, dict):
            c.bad(path, "must be an object")
            continue
        audit_type = c.code(a, "type", f"{path}.type", AuditType)
        finalised = c.moment(a, "finalised_at", f"{path}.finalised_at")
        grade = c.code(a, "grade", f"{path}.grade", Grade)
        auditor = c.email(a, "auditor", f"{path}.auditor")
        audits.append(
            Audit(
                type=read(audit_type),
                finalised_at=read(finalised),
                grade=read(grade),
                auditor=read(auditor),
            )
        )
    return tuple(audits)
