"""Which status a Family Connect Form may move to next (PRODUCT §3.2, §6).

A submitted form gets one decision (``DECISIONS``), and a decision request
never changes a decided form: two managers deciding at once cannot both win.

Afterwards a decision can be *closed* as withdrawn or as a duplicate
(``CLOSE_DECIDED``) — a separate, explicit action by a manager who has seen the
decision. An allocated form cannot: its case is open and worked, and the family's
withdrawal is recorded by closing the case. A step-up can be closed only while
social care has recorded no outcome for the referrals triage made (checked in
the service, which removes them). Transfers happen only before the decision.
"""

from __future__ import annotations

from family_connect.models import FormStatus as S

DECISIONS: dict[str, frozenset[str]] = {
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
}

_CLOSED = frozenset({S.DUPLICATE, S.WITHDRAWN})

CLOSE_DECIDED: dict[str, frozenset[str]] = {
    S.SIGNPOSTED: _CLOSED,
    S.CONSULTATION_GIVEN: _CLOSED,
    S.STEPPED_UP: _CLOSED,
    S.NO_FURTHER_ACTION: _CLOSED,
}

# Every move the form can make, for readers that need the whole picture (the
# records import checks a final status against it).
ALLOWED: dict[str, frozenset[str]] = {
    status: DECISIONS.get(status, frozenset()) | CLOSE_DECIDED.get(status, frozenset())
    for status in S.values
}


def can_decide(current: str, to: str) -> bool:
    """Whether a decision request may give the form this outcome."""
    return to in DECISIONS.get(current, frozenset())


def can_close_decided(current: str, to: str) -> bool:
    """Whether a decided form may be closed as withdrawn or a duplicate."""
    return to in CLOSE_DECIDED.get(current, frozenset())


def can_transfer(current: str) -> bool:
    return current == S.SUBMITTED
