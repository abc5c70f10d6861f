"""Every validation example of IMPORT.md is rejected with its JSON path and a
readable message; a good episode passes with its date-times parsed."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from records_import.checks import Reference
from records_import.validate import episode_validate

REF = Reference(
    reasons=frozenset(
        ["financial_housing_employment", "domestic_abuse", "education", "other"]
    ),
    localities=frozenset(["erdington", "yardley", "ladywood"]),
    locality_for_postcode=lambda pc: {"B23 6TJ": "erdington"}.get(pc),
    today=dt.date(2026, 11, 23),
)


def good() -> dict:
    return {
        "schema": "early-help-episode/1",
        "external_id": "EP-000001",
        "household": {
            "external_id": "HH-000123",
            "postcode": "B23 6TJ",
            "address_line": "12 Example Road",
            "members": [
                {
                    "external_id": "P-000001",
                    "role": "child",
                    "given_name": "Ayesha",
                    "family_name": "Khan",
                    "date_of_birth": "2014-05-02",
                    "sex": "female",
                    "ethnicity": "asian_pakistani",
                },
                {
                    "external_id": "P-000002",
                    "role": "adult",
                    "relationship": "mother",
                    "given_name": "Sara",
                    "family_name": "Khan",
                    "date_of_birth": "1988-01-19",
                },
            ],
        },
        "request": {
            "route": "school",
            "request_type": "support",
            "organisation": "Example Primary School",
            "received_at": "2024-05-02T10:15:00+01:00",
            "reasons": ["financial_housing_employment", "domestic_abuse"],
            "level_of_need": "additional",
            "consent": True,
            "transfers": [
                {
                    "to_locality": "yardley",
                    "at": "2024-05-03T09:00:00Z",
                    "reason": "moved",
                }
            ],
            "decision": {
                "outcome": "allocated",
                "decided_at": "2024-05-06T11:00:00+01:00",
                "by": "manager@example.org",
                "reason": "Needs a plan",
            },
            "requester_feedback": {"score": 4, "given_at": "2024-05-07T09:00:00Z"},
        },
        "case": {
            "lead_practitioner": "worker@example.org",
            "opened_at": "2024-05-06T11:00:00+01:00",
            "assessment": {
                "completed_at": "2024-05-30T10:00:00+01:00",
                "scaling": 3,
                "wheel": {
                    "healthy_lifestyles": 4,
                    "relationships": 5,
                    "learning_development": 3,
                    "community_engagement": 2,
                    "safeguarding": 6,
                },
                "person_scores": {"P-000001": 3, "P-000002": 4},
            },
            "reviews": [
                {
                    "held_at": "2024-07-10T10:00:00+01:00",
                    "scaling": 5,
                    "wheel": {},
                    "person_scores": {},
                }
            ],
            "step_ups": [
                {
                    "person": "P-000001",
                    "referred_at": "2024-06-01T10:00:00+01:00",
                    "outcome": "nfa_returned_to_early_help",
                }
            ],
            "closure": {
                "closed_at": "2024-09-01T10:00:00+01:00",
                "reason": "outcomes_met",
                "wheel": {"safeguarding": 8},
                "person_scores": {"P-000001": 7},
                "children": {
                    "P-000001": {"happy": "yes", "healthy": "yes", "safe": "no"}
                },
                "family_feedback": {"score": 5, "comment": "Thank you"},
            },
        },
        "social_care_referrals": [
            {"person": "P-000001", "referred_at": "2024-10-01T10:00:00+01:00"}
        ],
        "audits": [
            {
                "type": "monthly_citywide",
                "finalised_at": "2024-08-01T10:00:00+01:00",
                "grade": "good",
                "auditor": "auditor@example.org",
            }
        ],
    }


def test_a_good_episode_passes_with_moments_parsed():
    episode, problems = episode_validate(good(), REF)
    assert problems == [] and episode is not None
    assert episode.request.received_at == dt.datetime(2024, 5, 2, 9, 15, tzinfo=dt.UTC)
    assert episode.request.locality == "erdington"
    assert episode.request.transfers[0].to_locality == "yardley"
    assert episode.request.final_locality == "yardley"
    assert episode.case is not None and episode.case.closure is not None
    assert episode.case.closure.children["P-000001"]["safe"] == "no"
    assert episode.household.members[1].date_of_birth == dt.date(1988, 1, 19)
    with pytest.raises(dataclasses.FrozenInstanceError):
        episode.request.locality = "yardley"  # type: ignore[misc]


def change(path: str, value):
    """A copy of the good episode with one value set (None deletes it)."""
    data = good()
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    key = int(last) if last.isdigit() else last
    if value is None:
        del node[key]
    else:
        node[key] = value
    return data


def unallocated(data):
    data["request"]["decision"]["outcome"] = "signposted"
    del data["case"]
    del data["audits"]
    return data


CASES = [
    # unknown codes
    (change("request.route", "carrier_pigeon"), "request.route", "unknown code"),
    (
        change("request.reasons", ["education", "nope"]),
        "request.reasons[1]",
        "unknown code",
    ),
    (change("request.level_of_need", "huge"), "request.level_of_need", "unknown code"),
    (change("case.closure.reason", "bored"), "case.closure.reason", "unknown code"),
    (
        change("household.members.0.sex", "f"),
        "household.members[0].sex",
        "unknown code 'f'",
    ),
    (
        change("household.members.0.ethnicity", "asian"),
        "household.members[0].ethnicity",
        "unknown code",
    ),
    (
        change("household.members.1.relationship", "uncle"),
        "household.members[1].relationship",
        "unknown code",
    ),
    # a date of birth in the future
    (
        change("household.members.0.date_of_birth", "2027-01-01"),
        "household.members[0].date_of_birth",
        "is in the future",
    ),
    # a decision before receipt
    (
        change("request.decision.decided_at", "2024-05-01T10:00:00+01:00"),
        "request.decision.decided_at",
        "before the request was received",
    ),
    # a closure before the case opened
    (
        change("case.closure.closed_at", "2024-05-01T10:00:00+01:00"),
        "case.closure.closed_at",
        "before the case opened",
    ),
    # scores out of range
    (
        change("case.assessment.wheel.relationships", 11),
        "case.assessment.wheel.relationships",
        "outside 1–10",
    ),
    (
        change("case.assessment.person_scores.P-000001", 0),
        "case.assessment.person_scores.P-000001",
        "outside 1–10",
    ),
    (change("case.assessment.scaling", 11), "case.assessment.scaling", "outside 0–10"),
    (
        change("case.closure.family_feedback.score", 6),
        "case.closure.family_feedback.score",
        "outside 1–5",
    ),
    (
        change("request.requester_feedback.score", 0),
        "request.requester_feedback.score",
        "outside 1–5",
    ),
    # a person not in the household
    (
        change("case.step_ups.0.person", "P-999"),
        "case.step_ups[0].person",
        "not in the household",
    ),
    (
        change("social_care_referrals.0.person", "P-999"),
        "social_care_referrals[0].person",
        "not in the household",
    ),
    (
        change("case.assessment.person_scores", {"P-999": 3}),
        "case.assessment.person_scores.P-999",
        "not in the household",
    ),
    # allocated without a case; a case without allocation
    (change("case", None), "case", "allocated decision needs its case"),
    (change("request.decision.outcome", "signposted"), "case", 'outcome "allocated"'),
    # a malformed postcode
    (change("household.postcode", "B23 6T"), "household.postcode", "is not a postcode"),
    # a support form without consent
    (change("request.consent", False), "request.consent", "needs the family's consent"),
    # step-down rules
    (
        change("request.route", "step_down"),
        "request.closed_to_social_care_on",
        "is required for a step-down",
    ),
    (
        change("request.closed_to_social_care_on", "2024-04-20"),
        "request.closed_to_social_care_on",
        "only for step-down",
    ),
    # a transfer at or after the decision
    (
        change("request.transfers.0.at", "2024-05-06T11:00:00+01:00"),
        "request.transfers[0].at",
        "before the decision",
    ),
    # an allocated form with a final status
    (
        change("request.final_status", "duplicate"),
        "request.final_status",
        "allocated form cannot",
    ),
    # an assessment, review or step-up before the case opened
    (
        change("case.assessment.completed_at", "2024-05-06T09:00:00+01:00"),
        "case.assessment.completed_at",
        "before the case opened",
    ),
    (
        change("case.reviews.0.held_at", "2024-05-06T09:00:00+01:00"),
        "case.reviews[0].held_at",
        "before the case opened",
    ),
    (
        change("case.step_ups.0.referred_at", "2024-05-06T09:00:00+01:00"),
        "case.step_ups[0].referred_at",
        "before the case opened",
    ),
    # a case opened before its decision
    (
        change("case.opened_at", "2024-05-06T10:59:59+01:00"),
        "case.opened_at",
        "opened before its decision",
    ),
    # audits on an episode without a case
    (
        {**unallocated(good()), "audits": good()["audits"]},
        "audits",
        "audits need a case",
    ),
    # date-times need seconds and an offset
    (
        change("request.received_at", "2024-05-02T10:15+01:00"),
        "request.received_at",
        "not an ISO 8601 date-time",
    ),
    (
        change("request.received_at", "2024-05-02T10:15:00"),
        "request.received_at",
        "not an ISO 8601 date-time",
    ),
]


@pytest.mark.parametrize(("data", "path", "message"), CASES)
def test_each_validation_example_is_rejected_with_path_and_message(data, path, message):
    episode, problems = episode_validate(data, REF)
    assert episode is None
    assert any(p.path == path and message in p.message for p in problems), problems


def test_a_step_down_closed_after_receipt_is_rejected():
    data = change("request.route", "step_down")
    data["request"]["closed_to_social_care_on"] = "2024-05-03"
    _, problems = episode_validate(data, REF)
    assert [str(p) for p in problems] == [
        "request.closed_to_social_care_on: is after the request was received"
    ]


def test_an_expected_baby_may_have_a_future_date():
    data = change("household.members.0.date_of_birth", "2027-01-01")
    data["household"]["members"][0]["expected"] = True
    _, problems = episode_validate(data, REF)
    assert problems == []


def test_an_allocated_form_needs_a_locality():
    data = change("household.postcode", "SW1A 1AA")
    del data["request"]["transfers"]
    _, problems = episode_validate(data, REF)
    assert [p.path for p in problems] == ["request.locality"]


def test_not_an_object_and_wrong_schema():
    assert (
        episode_validate([1, 2], REF)[1][0].message == "each line must be a JSON object"
    )
    _, problems = episode_validate(change("schema", "v2"), REF)
    assert [p.path for p in problems] == ["schema"]
