"""Checking one line of an ``early-help-episode/1`` file (IMPORT.md).

``episode_validate`` reads one parsed JSON value and returns the episode with
its date-times parsed, or every problem found, each with the JSON path it is
about (``request.received_at``, ``household.members[1].sex``) and a message a
records officer can act on. It needs no database: the reference lists it checks
against (reasons, localities, the postcode lookup) come in a ``Reference``
loaded once per file.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from audits.codes import AuditType, Grade
from casework.models import Answer, ClosureReason, StepUpOutcome, WheelDomain
from core.codes import Ethnicity, LevelOfNeed, MemberRole, Relationship, Sex
from family_connect.models import FormStatus, RequestType, Route
from family_connect.transitions import ALLOWED
from localities.postcodes import postcode_normalise

SCHEMA = "early-help-episode/1"
LONDON = ZoneInfo("Europe/London")
DECISION_OUTCOMES = sorted(
    ALLOWED[FormStatus.SUBMITTED] - {FormStatus.DUPLICATE, FormStatus.WITHDRAWN}
)
FINAL_STATUSES = [FormStatus.DUPLICATE.value, FormStatus.WITHDRAWN.value]
_MOMENT = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_ID = 64
WHEEL_DOMAINS = frozenset(WheelDomain.values)


@functools.cache
def _codes(choices: Any) -> frozenset[str]:
    return frozenset(choices.values)


def _allowed(codes: Any) -> frozenset[str]:
    """The codes of a choices class (computed once) or of a list."""
    if isinstance(codes, type):
        return _codes(codes)
    return frozenset(codes)


@dataclass(frozen=True)
class Reference:
    """What a line is checked against, loaded once per file."""

    reasons: frozenset[str]
    localities: frozenset[str]
    locality_for_postcode: Callable[[str], str | None]
    today: dt.date


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass
class _Check:
    ref: Reference
    problems: list[Problem] = field(default_factory=list)

    def bad(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # --- Field readers: each returns the value, or None after recording why. ---

    def obj(self, parent: dict[str, Any], key: str, path: str, *, optional=False):
        value = parent.get(key)
        if value is None:
            if not optional:
                self.bad(path, "is required")
            return None
        if not isinstance(value, dict):
            self.bad(path, "must be an object")
            return None
        return value

    def array(self, parent: dict[str, Any], key: str, path: str, *, optional=True):
        value = parent.get(key)
        if value is None:
            if not optional:
                self.bad(path, "is required")
            return []
        if not isinstance(value, list):
            self.bad(path, "must be a list")
            return []
        return value

    def text(
        self,
        parent: dict[str, Any],
        key: str,
        path: str,
        *,
        optional: bool = False,
        max_length: int = 200,
    ) -> str | None:
        value = parent.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if not optional:
                self.bad(path, "is required")
            return None
        if not isinstance(value, str):
            self.bad(path, "must be a string")
            return None
        if len(value) > max_length:
            self.bad(path, f"must be at most {max_length} characters")
            return None
        return value.strip()

    def code(
        self,
        parent: dict[str, Any],
        key: str,
        path: str,
        codes: Any,
        *,
        optional: bool = False,
    ) -> str | None:
        allowed = _allowed(codes)
        value = parent.get(key)
        if value is None or value == "":
            if not optional:
                self.bad(path, "is required")
            return None
        if value not in allowed:
            self.bad(
                path,
                f"unknown code {value!r}; use one of {', '.join(sorted(allowed))}",
            )
            return None
        return str(value)

    def moment(
        self, parent: dict[str, Any], key: str, path: str, *, optional: bool = False
    ) -> dt.datetime | None:
        value = parent.get(key)
        if value is None:
            if not optional:
                self.bad(path, "is required")
            return None
        if not isinstance(value, str) or not _MOMENT.match(value):
            self.bad(
                path,
                "not an ISO 8601 date-time with seconds and an offset "
                "(like 2024-05-02T10:15:00+01:00)",
            )
            return None
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            self.bad(path, "is not a real date-time")
            return None

    def date(
        self, parent: dict[str, Any], key: str, path: str, *, optional: bool = False
    ) -> dt.date | None:
        value = parent.get(key)
        if value is None:
            if not optional:
                self.bad(path, "is required")
            return None
        if not isinstance(value, str) or not _DATE.match(value):
            self.bad(path, "not a date in the form YYYY-MM-DD")
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.bad(path, "is not a real date")
            return None

    def number(
        self,
        parent: dict[str, Any],
        key: str,
        path: str,
        low: int,
        high: int,
        *,
        optional: bool = False,
    ) -> int | None:
        value = parent.get(key)
        if value is None:
            if not optional:
                self.bad(path, "is required")
            return None
        return self.score(value, path, low, high)

    def score(self, value: Any, path: str, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.bad(path, f"must be a whole number from {low} to {high}")
            return None
        if not low <= value <= high:
            self.bad(path, f"{value} is outside {low}–{high}")
            return None
        return value

    def email(self, parent: dict[str, Any], key: str, path: str) -> str | None:
        value = self.text(parent, key, path, max_length=254)
        if value is not None and not _EMAIL.match(value):
            self.bad(path, "is not an e-mail address")
            return None
        return value.lower() if value else None

    def boolean(
        self, parent: dict[str, Any], key: str, path: str, *, default: bool | None
    ) -> bool | None:
        value = parent.get(key, default)
        if value is None and default is None:
            self.bad(path, "is required")
            return None
        if not isinstance(value, bool):
            self.bad(path, "must be true or false")
            return None
        return value

    def not_before(
        self,
        later: dt.datetime | None,
        earlier: dt.datetime | None,
        path: str,
        message: str,
    ) -> None:
        if later is not None and earlier is not None and later < earlier:
            self.bad(path, message)

    # --- Parts of an episode. ---

    def member(self, raw: Any, path: str) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.bad(path, "must be an object")
            return None
        m: dict[str, Any] = {
            "external_id": self.text(
                raw, "external_id", f"{path}.external_id", max_length=MAX_ID
            ),
            "role": self.code(raw, "role", f"{path}.role", MemberRole),
            "given_name": self.text(
                raw, "given_name", f"{path}.given_name", max_length=100
            ),
            "family_name": self.text(
                raw, "family_name", f"{path}.family_name", max_length=100
            ),
            "sex": self.code(raw, "sex", f"{path}.sex", Sex, optional=True) or "",
            "ethnicity": self.code(
                raw, "ethnicity", f"{path}.ethnicity", Ethnicity, optional=True
            )
            or "",
            "relationship": self.code(
                raw, "relationship", f"{path}.relationship", Relationship, optional=True
            )
            or "",
            "expected": self.boolean(
                raw, "expected", f"{path}.expected", default=False
            ),
        }
        is_child = m["role"] == MemberRole.CHILD
        m["date_of_birth"] = self.date(
            raw, "date_of_birth", f"{path}.date_of_birth", optional=not is_child
        )
        if m["expected"] and m["role"] == MemberRole.ADULT:
            self.bad(f"{path}.expected", "only a child can be expected")
        dob = m["date_of_birth"]
        if dob is not None and dob > self.ref.today and not m["expected"]:
            self.bad(
                f"{path}.date_of_birth",
                f"{dob.isoformat()} is in the future (an expected baby needs "
                '"expected": true)',
            )
        return m

    def scores(
        self, raw: dict[str, Any], path: str, people: set[str]
    ) -> dict[str, Any]:
        """The wheel (five domains, 1–10) and person scores (1–10)."""
        wheel_raw = self.obj(raw, "wheel", f"{path}.wheel", optional=True) or {}
        wheel = {}
        for key, value in wheel_raw.items():
            if key not in WHEEL_DOMAINS:
                self.bad(
                    f"{path}.wheel.{key}",
                    f"unknown family wheel domain; use one of "
                    f"{', '.join(WheelDomain.values)}",
                )
                continue
            wheel[key] = self.score(value, f"{path}.wheel.{key}", 1, 10)
        persons_raw = (
            self.obj(raw, "person_scores", f"{path}.person_scores", optional=True) or {}
        )
        persons = {}
        for key, value in persons_raw.items():
            if key not in people:
                self.bad(f"{path}.person_scores.{key}", "is not in the household")
                continue
            persons[key] = self.score(value, f"{path}.person_scores.{key}", 1, 10)
        return {"wheel": wheel, "person_scores": persons}

    def person_ref(
        self, raw: dict[str, Any], path: str, people: set[str]
    ) -> str | None:
        person = self.text(raw, "person", path, max_length=MAX_ID)
        if person is not None and person not in people:
            self.bad(path, f"{person!r} is not in the household")
            return None
        return person


def episode_validate(
    raw: Any, ref: Reference
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The episode ready to import, or None and every problem found."""
    c = _Check(ref)
    if not isinstance(raw, dict):
        return None, [Problem("", "each line must be a JSON object")]
    if raw.get("schema") != SCHEMA:
        c.bad("schema", f'must be "{SCHEMA}"')
    episode: dict[str, Any] = {
        "external_id": c.text(raw, "external_id", "external_id", max_length=MAX_ID)
    }

    # Household.
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
        member = c.member(m, f"household.members[{i}]")
        if member is not None:
            members.append(member)
    people = {m["external_id"] for m in members if m["external_id"]}
    if len(people) < len([m for m in members if m["external_id"]]):
        c.bad("household.members", "the same person external_id appears twice")
    children = {m["external_id"] for m in members if m["role"] == MemberRole.CHILD}
    if household_raw and not children:
        c.bad("household.members", "needs at least one child")
    episode["household"] = {
        "external_id": c.text(
            household_raw, "external_id", "household.external_id", max_length=MAX_ID
        ),
        "postcode": postcode,
        "address_line": c.text(
            household_raw,
            "address_line",
            "household.address_line",
            optional=True,
        )
        or "",
        "members": members,
    }

    # Request.
    req = c.obj(raw, "request", "request") or {}
    route = c.code(req, "route", "request.route", Route)
    received = c.moment(req, "received_at", "request.received_at")
    request: dict[str, Any] = {
        "route": route,
        "request_type": c.code(
            req, "request_type", "request.request_type", RequestType
        ),
        "organisation": c.text(
            req, "organisation", "request.organisation", optional=True
        )
        or "",
        "received_at": received,
        "level_of_need": c.code(
            req, "level_of_need", "request.level_of_need", LevelOfNeed
        ),
        "consent": c.boolean(req, "consent", "request.consent", default=None),
    }
    locality = c.code(
        req, "locality", "request.locality", sorted(ref.localities), optional=True
    )
    if locality is None and postcode is not None and "locality" not in req:
        locality = ref.locality_for_postcode(postcode)
    request["locality"] = locality
    reasons = c.array(req, "reasons", "request.reasons", optional=False)
    if req and not reasons:
        c.bad("request.reasons", "needs at least one reason")
    for i, reason in enumerate(reasons):
        if reason not in ref.reasons:
            c.bad(
                f"request.reasons[{i}]",
                f"unknown code {reason!r}; use one of {', '.join(sorted(ref.reasons))}",
            )
    request["reasons"] = list(dict.fromkeys(r for r in reasons if r in ref.reasons))
    if request["request_type"] == RequestType.SUPPORT and request["consent"] is False:
        c.bad("request.consent", "a support request needs the family's consent")
    closed_on = c.date(
        req,
        "closed_to_social_care_on",
        "request.closed_to_social_care_on",
        optional=True,
    )
    if (
        route == Route.STEP_DOWN
        and closed_on is None
        and "closed_to_social_care_on" not in req
    ):
        c.bad("request.closed_to_social_care_on", "is required for a step-down")
    if (
        route is not None
        and route != Route.STEP_DOWN
        and "closed_to_social_care_on" in req
    ):
        c.bad("request.closed_to_social_care_on", "is only for step-down requests")
    if (
        closed_on is not None
        and received is not None
        and closed_on > received.astimezone(LONDON).date()
    ):
        c.bad(
            "request.closed_to_social_care_on",
            "is after the request was received",
        )
    request["closed_to_social_care_on"] = closed_on

    decision_raw = c.obj(req, "decision", "request.decision", optional=True)
    decision: dict[str, Any] | None = None
    if decision_raw is not None:
        decision = {
            "outcome": c.code(
                decision_raw, "outcome", "request.decision.outcome", DECISION_OUTCOMES
            ),
            "decided_at": c.moment(
                decision_raw, "decided_at", "request.decision.decided_at"
            ),
            "by": c.email(decision_raw, "by", "request.decision.by"),
            "reason": c.text(
                decision_raw,
                "reason",
                "request.decision.reason",
                optional=True,
                max_length=5000,
            )
            or "",
        }
        c.not_before(
            decision["decided_at"],
            received,
            "request.decision.decided_at",
            "the decision is before the request was received",
        )
    request["decision"] = decision
    decided = decision["decided_at"] if decision else None
    outcome = decision["outcome"] if decision else None

    transfers = []
    for i, t in enumerate(c.array(req, "transfers", "request.transfers")):
        path = f"request.transfers[{i}]"
        if not isinstance(t, dict):
            c.bad(path, "must be an object")
            continue
        transfer: dict[str, Any] = {
            "to_locality": c.code(
                t, "to_locality", f"{path}.to_locality", sorted(ref.localities)
            ),
            "at": c.moment(t, "at", f"{path}.at"),
            "reason": c.text(t, "reason", f"{path}.reason", max_length=5000) or "",
        }
        c.not_before(
            transfer["at"], received, f"{path}.at", "is before the request was received"
        )
        if (
            transfer["at"] is not None
            and decided is not None
            and transfer["at"] >= decided
        ):
            c.bad(f"{path}.at", "a transfer must be before the decision")
        transfers.append(transfer)
    request["transfers"] = transfers
    final_locality = transfers[-1]["to_locality"] if transfers else locality

    final_status = c.code(
        req, "final_status", "request.final_status", FINAL_STATUSES, optional=True
    )
    if final_status is not None and outcome == FormStatus.ALLOCATED:
        c.bad(
            "request.final_status",
            "an allocated form cannot become duplicate or withdrawn",
        )
    request["final_status"] = final_status

    feedback_raw = c.obj(
        req, "requester_feedback", "request.requester_feedback", optional=True
    )
    request["requester_feedback"] = None
    if feedback_raw is not None:
        feedback: dict[str, Any] = {
            "score": c.number(
                feedback_raw, "score", "request.requester_feedback.score", 1, 5
            ),
            "given_at": c.moment(
                feedback_raw, "given_at", "request.requester_feedback.given_at"
            ),
        }
        c.not_before(
            feedback["given_at"],
            received,
            "request.requester_feedback.given_at",
            "is before the request was received",
        )
        request["requester_feedback"] = feedback
    episode["request"] = request

    # Case.
    case_raw = c.obj(raw, "case", "case", optional=True)
    if outcome == FormStatus.ALLOCATED and case_raw is None:
        c.bad("case", "an allocated decision needs its case")
    if case_raw is not None and outcome != FormStatus.ALLOCATED:
        c.bad("case", 'a case needs a decision with outcome "allocated"')
    if outcome == FormStatus.ALLOCATED and final_locality is None:
        c.bad(
            "request.locality",
            "an allocated form needs a locality: give one, a Birmingham postcode, "
            "or a transfer",
        )
    episode["case"] = (
        _case(c, case_raw, decided, people, children) if case_raw else None
    )

    referrals = []
    for i, r in enumerate(
        c.array(raw, "social_care_referrals", "social_care_referrals")
    ):
        path = f"social_care_referrals[{i}]"
        if not isinstance(r, dict):
            c.bad(path, "must be an object")
            continue
        referrals.append(
            {
                "person": c.person_ref(r, f"{path}.person", people),
                "referred_at": c.moment(r, "referred_at", f"{path}.referred_at"),
            }
        )
    episode["social_care_referrals"] = referrals

    audits = []
    audits_raw = c.array(raw, "audits", "audits")
    if audits_raw and case_raw is None:
        c.bad("audits", "audits need a case")
    for i, a in enumerate(audits_raw):
        path = f"audits[{i}]"
        if not isinstance(a, dict):
            c.bad(path, "must be an object")
            continue
        audits.append(
            {
                "type": c.code(a, "type", f"{path}.type", AuditType),
                "finalised_at": c.moment(a, "finalised_at", f"{path}.finalised_at"),
                "grade": c.code(a, "grade", f"{path}.grade", Grade),
                "auditor": c.email(a, "auditor", f"{path}.auditor"),
            }
        )
    episode["audits"] = audits

    if c.problems:
        return None, c.problems
    return episode, []


def _case(
    c: _Check,
    raw: dict[str, Any],
    decided: dt.datetime | None,
    people: set[str],
    children: set[str],
) -> dict[str, Any]:
    opened = c.moment(raw, "opened_at", "case.opened_at")
    c.not_before(
        opened, decided, "case.opened_at", "the case is opened before its decision"
    )
    case: dict[str, Any] = {
        "lead_practitioner": c.email(
            raw, "lead_practitioner", "case.lead_practitioner"
        ),
        "opened_at": opened,
    }

    def after_opening(when: dt.datetime | None, path: str, what: str) -> None:
        c.not_before(when, opened, path, f"{what} before the case opened")

    assessment_raw = c.obj(raw, "assessment", "case.assessment", optional=True)
    case["assessment"] = None
    if assessment_raw is not None:
        completed = c.moment(
            assessment_raw, "completed_at", "case.assessment.completed_at"
        )
        after_opening(completed, "case.assessment.completed_at", "the assessment is")
        case["assessment"] = {
            "completed_at": completed,
            "scaling": c.number(
                assessment_raw, "scaling", "case.assessment.scaling", 0, 10
            ),
            **c.scores(assessment_raw, "case.assessment", people),
        }

    reviews = []
    for i, r in enumerate(c.array(raw, "reviews", "case.reviews")):
        path = f"case.reviews[{i}]"
        if not isinstance(r, dict):
            c.bad(path, "must be an object")
            continue
        held = c.moment(r, "held_at", f"{path}.held_at")
        after_opening(held, f"{path}.held_at", "the review is")
        reviews.append(
            {
                "held_at": held,
                "scaling": c.number(r, "scaling", f"{path}.scaling", 0, 10),
                **c.scores(r, path, people),
            }
        )
    case["reviews"] = reviews

    step_ups = []
    for i, s in enumerate(c.array(raw, "step_ups", "case.step_ups")):
        path = f"case.step_ups[{i}]"
        if not isinstance(s, dict):
            c.bad(path, "must be an object")
            continue
        referred = c.moment(s, "referred_at", f"{path}.referred_at")
        after_opening(referred, f"{path}.referred_at", "the step-up is")
        step_ups.append(
            {
                "person": c.person_ref(s, f"{path}.person", people),
                "referred_at": referred,
                "outcome": c.code(
                    s, "outcome", f"{path}.outcome", StepUpOutcome, optional=True
                )
                or "",
            }
        )
    case["step_ups"] = step_ups

    closure_raw = c.obj(raw, "closure", "case.closure", optional=True)
    case["closure"] = None
    if closure_raw is not None:
        closed = c.moment(closure_raw, "closed_at", "case.closure.closed_at")
        after_opening(closed, "case.closure.closed_at", "the closure is")
        answers = {}
        children_raw = (
            c.obj(closure_raw, "children", "case.closure.children", optional=True) or {}
        )
        for person, given in children_raw.items():
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
        feedback_raw = c.obj(
            closure_raw,
            "family_feedback",
            "case.closure.family_feedback",
            optional=True,
        )
        feedback = None
        if feedback_raw is not None:
            feedback = {
                "score": c.number(
                    feedback_raw, "score", "case.closure.family_feedback.score", 1, 5
                ),
                "comment": c.text(
                    feedback_raw,
                    "comment",
                    "case.closure.family_feedback.comment",
                    optional=True,
                    max_length=5000,
                )
                or "",
            }
        case["closure"] = {
            "closed_at": closed,
            "reason": c.code(
                closure_raw, "reason", "case.closure.reason", ClosureReason
            ),
            "children": answers,
            "family_feedback": feedback,
            **c.scores(closure_raw, "case.closure", people),
        }
    return case
