"""Which status a case may move to next (PRODUCT §3.3).

``allocated → assessment → plan → closed``; a closed case may be reopened to
``plan`` within 28 days of closure (the date is checked by the service). A case
may close from any open status; the closure service checks what a given reason
needs (for example a completed assessment for ``outcomes_met``).
"""

from __future__ import annotations

from datetime import timedelta

from casework.models import CaseStatus as S

ALLOWED: dict[str, frozenset[str]] = {
    S.ALLOCATED: frozenset({S.ASSESSMENT, S.CLOSED}),
    S.ASSESSMENT: frozenset({S.PLAN, S.CLOSED}),
    S.PLAN: frozenset({S.CLOSED}),
    S.CLOSED: frozenset({S.PLAN}),
}

REOPEN_WITHIN = timedelta(days=28)


def can_move(current: str, to: str) -> bool:
    return to in ALLOWED.get(current, frozenset())
