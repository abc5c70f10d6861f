import pytest

from casework.models import CaseStatus as S
from casework.transitions import ALLOWED, can_move


@pytest.mark.parametrize(
    ("current", "to", "allowed"),
    [
        (S.ALLOCATED, S.ASSESSMENT, True),
        (S.ASSESSMENT, S.PLAN, True),
        (S.PLAN, S.CLOSED, True),
        (S.ALLOCATED, S.CLOSED, True),
        (S.CLOSED, S.PLAN, True),  # reopen, within 28 days (the service checks)
        (S.ALLOCATED, S.PLAN, False),  # no plan without an assessment
        (S.PLAN, S.ASSESSMENT, False),
        (S.CLOSED, S.ALLOCATED, False),
        (S.CLOSED, S.ASSESSMENT, False),
        (S.CLOSED, S.CLOSED, False),
    ],
)
def test_case_transitions(current, to, allowed):
    assert can_move(current, to) is allowed


def test_every_status_has_a_row():
    assert set(ALLOWED) == set(S.values)
