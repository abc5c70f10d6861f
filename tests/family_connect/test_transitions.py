import pytest

from family_connect.models import FormStatus as S
from family_connect.transitions import (
    ALLOWED,
    CLOSE_DECIDED,
    DECISIONS,
    can_close_decided,
    can_decide,
    can_transfer,
)

OUTCOMES = [s for s in S.values if s != S.SUBMITTED]
DECIDED = [s for s in S.values if s != S.SUBMITTED]
CLOSABLE = [S.SIGNPOSTED, S.CONSULTATION_GIVEN, S.STEPPED_UP, S.NO_FURTHER_ACTION]


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_a_submitted_form_can_take_any_decision(outcome):
    assert can_decide(S.SUBMITTED, outcome)


@pytest.mark.parametrize("decided", DECIDED)
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_a_decision_request_never_changes_a_decided_form(decided, outcome):
    # The race of issue 19: "no further action" then "withdrawn" both won.
    assert not can_decide(decided, outcome)


@pytest.mark.parametrize("decided", CLOSABLE)
def test_other_decisions_can_be_closed_as_duplicate_or_withdrawn_only(decided):
    closes = {s for s in S.values if can_close_decided(decided, s)}
    assert closes == {S.DUPLICATE, S.WITHDRAWN}


@pytest.mark.parametrize("status", [S.SUBMITTED, S.ALLOCATED, S.DUPLICATE, S.WITHDRAWN])
def test_waiting_allocated_and_closed_forms_cannot_be_closed_as_decided(status):
    assert not any(can_close_decided(status, s) for s in S.values)


def test_every_status_is_in_the_table_and_nothing_returns_to_submitted():
    assert set(ALLOWED) == set(S.values)
    assert not any(S.SUBMITTED in nexts for nexts in ALLOWED.values())
    assert set(DECISIONS) == {S.SUBMITTED}
    assert not set(DECISIONS) & set(CLOSE_DECIDED)


def test_the_whole_table_is_decisions_then_closing():
    for status, nexts in ALLOWED.items():
        assert nexts == DECISIONS.get(status, frozenset()) | CLOSE_DECIDED.get(
            status, frozenset()
        )


@pytest.mark.parametrize("status", S.values)
def test_only_undecided_forms_can_be_transferred(status):
    assert can_transfer(status) is (status == S.SUBMITTED)
