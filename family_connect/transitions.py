"""Which status a Family Connect Form may move to next (PRODUCT §3.2, §6).

A submitted form gets one decision. A decision other than allocation can later be
found to be a duplicate or withdrawn; an allocated form cannot. Transfers happen
only before the decision.
"""

from __future__ import annotations

from family_connect.models import FormStatus as S

_AFTERWARDS = frozenset({S.DUPLICATE, S.WITHDRAWN})

ALLOWED: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset(
        {
            S.ALLOCATED,
            S.SIGNPOSTED,
            S.CONSULTATION_GIVEN,
            S.STEPPED_UP,
            S.NO_FURTHER_ACTION,
            S.DUPLICATE,
            S.WITHDRAWN,
        }
    ),
    S.SIGNPOSTED: _AFTERWARDS,
    S.CONSULTATION_GIVEN: _AFTERWARDS,
    S.STEPPED_UP: _AFTERWARDS,
    S.NO_FURTHER_ACTION: _AFTERWARDS,
    S.ALLOCATED: frozenset(),
    S.DUPLICATE: frozenset(),
    S.WITHDRAWN: frozenset(),
}


def can_move(current: str, to: str) -> bool:
    return to in ALLOWED.get(current, frozenset())


def can_transfer(current: str) -> bool:
    return current == S.SUBMITTED
