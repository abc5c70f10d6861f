"""What intake reads of a household's cases, without importing casework.

Intake needs three things that casework holds: the open case of a strongly
matched household (a new form is attached to it, and its lead practitioner
told), the localities of a household's cases (a link to a household whose
cases are all in another locality crosses localities, ``linking``), and the
cases of matched households and people that closed shortly before a form
arrived (the family is returning, and triage says so). Casework
sits above intake and builds on its forms, so intake may not import it, lazily
or otherwise.

The dependency is inverted, as ``accounts.revisit`` does for access: this
module states what intake asks, with types of its own, and casework answers it
by registering its functions from ``CaseworkConfig.ready()``. The queries
stay casework's (one each), and the import linter sees intake
depend on nothing above it. Reading the cases through ``Family``'s reverse
relation or ``apps.get_model`` would hide the same dependency from the linter
rather than remove it, so neither is used.

With nothing registered the functions raise ``ImproperlyConfigured``: matching
a form without knowing the household's cases would attach nothing and link
across localities unnoticed, so it must not carry on quietly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from accounts.models import User


class OpenCase(Protocol):
    """An open case as intake uses it: casework's case row, its lead
    practitioner already read with it."""

    @property
    def pk(self) -> Any: ...

    @property
    def family_id(self) -> int: ...

    @property
    def lead_practitioner_id(self) -> int: ...

    @property
    def lead_practitioner(self) -> User: ...


OpenCaseOf = Callable[[list[int]], OpenCase | None]
"""The open case of any of these households, the most recently opened first;
None when none of them has one. One query."""

CaseLocalitiesOf = Callable[[list[int]], Iterable[tuple[int, int]]]
"""``(family id, locality id)`` for every case, open or closed, of these
households. One query."""


@dataclass(frozen=True)
class ClosedCase:
    """A closed case as intake names it: when it closed and why, from the
    case's closure record, and where it was worked."""

    case_id: int
    family_id: int
    locality_id: int
    locality_name: str
    closed_at: datetime
    reason: str  # the closure reason's code
    reason_label: str


ClosedCasesOf = Callable[
    [list[int], list[int], datetime, datetime], Iterable[ClosedCase]
]
"""The closed cases of these households, or naming these people, whose closure
record says they closed between the two moments (both included), the most
recently closed first. One query."""


@dataclass(frozen=True)
class _Provider:
    open_case_of: OpenCaseOf
    case_localities_of: CaseLocalitiesOf
    closed_cases_of: ClosedCasesOf


_provider: _Provider | None = None


def household_cases_register(
    *,
    open_case_of: OpenCaseOf,
    case_localities_of: CaseLocalitiesOf,
    closed_cases_of: ClosedCasesOf,
) -> None:
    """Register (or replace, so a reloaded app registers once) what answers
    intake's questions about a household's cases."""
    global _provider
    _provider = _Provider(
        open_case_of=open_case_of,
        case_localities_of=case_localities_of,
        closed_cases_of=closed_cases_of,
    )


def _registered() -> _Provider:
    if _provider is None:
        raise ImproperlyConfigured(
            "Nothing has registered how to read a household's cases: casework "
            "registers it from CaseworkConfig.ready() (is casework installed?)."
        )
    return _provider


def household_open_case(*, family_ids: list[int]) -> OpenCase | None:
    """The open case of any of these households, the most recently opened
    first, with its lead practitioner; None when none has one."""
    return _registered().open_case_of(family_ids)


def household_case_localities(*, family_ids: list[int]) -> list[tuple[int, int]]:
    """``(family id, locality id)`` for every case of these households."""
    return list(_registered().case_localities_of(family_ids))


def household_closed_cases(
    *,
    family_ids: list[int],
    person_ids: list[int],
    closed_from: datetime,
    closed_until: datetime,
) -> list[ClosedCase]:
    """The closed cases of these households, or naming these people, that
    closed between ``closed_from`` and ``closed_until`` (both included), the
    most recently closed first. A reopened case is open, not closed."""
    if not family_ids and not person_ids:
        return []
    return list(
        _registered().closed_cases_of(family_ids, person_ids, closed_from, closed_until)
    )
