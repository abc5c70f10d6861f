import pytest

from family_connect.models import FormStatus as S
from family_connect.transitions import ALLOWED, can_move, can_transfer

DECISIONS = [s for s in S.values if s != S.SUBMITTED]


@pytest.mark.parametrize("outcome", DECISIONS)
def test_a_submitted_form_can_take_any_decision(outcome):
    assert can_move(S.SUBMITTED, outcome)


@pytest.mark.parametrize("outcome", DECISIONS)
def test_an_allocated_form_cannot_become_anything_else(outcome):
    assert not can_move(S.ALLOCATED, outcome)


@pytest.mark.parametrize(
    "decided", [S.SIGNPOSTED, S.CONSULTATION_GIVEN, S.STEPPED_UP, S.NO_FURTHER_ACTION]
)
def test_other_decisions_can_later_be_duplicate_or_withdrawn_only(decided):
    assert {s for s in S.values if can_move(decided, s)} == {S.DUPLICATE, S.WITHDRAWN}


def test_every_status_is_in_the_table_and_nothing_returns_to_submitted():
    assert set(ALLOWED) == set(S.values)
    assert not any(S.SUBMITTED in nexts for nexts in ALLOWED.values())


@pytest.mark.parametrize("status", S.values)
def test_only_undecided_forms_can_be_transferred(status):
    assert can_transfer(status) is (status == S.SUBMITTED)
