"""A checked ``early-help-episode/1`` line as typed values (IMPORT.md).

``records_import.validate`` makes them from a parsed line; the replay through
the services (``load``) and the batched writer (``bulk``) read them. They are
frozen: what a writer learns while writing (the family, the case, the form)
it keeps in its own structures, never on the episode. Date-times are parsed
and aware; codes are the stable strings of the choices they were checked
against; a person is named by their ``external_id`` in the household.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Member:
    external_id: str
    role: str
    given_name: str
    family_name: str
    sex: str  # "" when not given, as are ethnicity and relationship
    ethnicity: str
    relationship: str
    expected: bool
    date_of_birth: dt.date | None  # optional for an adult


@dataclass(frozen=True, slots=True)
class Household:
    external_id: str
    postcode: str
    address_line: str
    members: tuple[Member, ...]


@dataclass(frozen=True, slots=True)
class Transfer:
    to_locality: str
    at: dt.datetime
    reason: str


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: str
    decided_at: dt.datetime
    by: str  # the decider's e-mail, lower case
    reason: str


@dataclass(frozen=True, slots=True)
class RequesterFeedback:
    score: int
    given_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Request:
    route: str
    request_type: str
    organisation: str
    received_at: dt.datetime
    level_of_need: str
    consent: bool
    locality: str | None  # given, or resolved from the postcode
    reasons: tuple[str, ...]
    closed_to_social_care_on: dt.date | None
    decision: Decision | None
    transfers: tuple[Transfer, ...]
    final_status: str | None
    requester_feedback: RequesterFeedback | None

    @property
    def final_locality(self) -> str | None:
        """The locality the form ends in: its last transfer's, else its own."""
        return self.transfers[-1].to_locality if self.transfers else self.locality


@dataclass(frozen=True, slots=True)
class Assessment:
    completed_at: dt.datetime
    scaling: int
    wheel: Mapping[str, int]  # family wheel domain → score
    person_scores: Mapping[str, int]  # person external_id → score


@dataclass(frozen=True, slots=True)
class Review:
    held_at: dt.datetime
    scaling: int
    wheel: Mapping[str, int]
    person_scores: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class StepUp:
    person: str
    referred_at: dt.datetime
    outcome: str  # "" when not recorded


@dataclass(frozen=True, slots=True)
class FamilyFeedback:
    score: int
    comment: str


@dataclass(frozen=True, slots=True)
class Closure:
    closed_at: dt.datetime
    reason: str
    # A child's external_id → happy / healthy / safe → answer.
    children: Mapping[str, Mapping[str, str]]
    family_feedback: FamilyFeedback | None
    wheel: Mapping[str, int]
    person_scores: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Case:
    lead_practitioner: str  # e-mail, lower case
    opened_at: dt.datetime
    assessment: Assessment | None
    reviews: tuple[Review, ...]
    step_ups: tuple[StepUp, ...]
    closure: Closure | None


@dataclass(frozen=True, slots=True)
class SocialCareReferral:
    person: str
    referred_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Audit:
    type: str
    finalised_at: dt.datetime
    grade: str
    auditor: str  # e-mail, lower case


@dataclass(frozen=True, slots=True)
class Episode:
    external_id: str
    household: Household
    request: Request
    case: Case | None  # only with an allocated decision
    social_care_referrals: tuple[SocialCareReferral, ...]
    audits: tuple[Audit, ...]
