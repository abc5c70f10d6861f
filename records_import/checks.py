"""Reading the fields of one ``early-help-episode/1`` line (IMPORT.md).

``Check`` reads one field at a time from the parsed JSON and returns its value,
or None after recording a ``Problem`` with the JSON path it is about
(``request.received_at``, ``household.members[1].sex``) and a message a records
officer can act on. It needs no database: the reference lists it checks against
(reasons, localities, the postcode lookup) come in a ``Reference`` loaded once
per file.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from casework.models import WheelDomain

_MOMENT = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_ID = 64
WHEEL_DOMAINS = frozenset(WheelDomain.values)
T = TypeVar("T")


def read(value: T | None) -> T:
    """A required value as ``Check`` read it, for a typed episode value. It is
    None only when its problem has been recorded, and an episode with any
    problem is never returned: what is built from it is thrown away."""
    return cast(T, value)


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
class Check:
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

    # --- Values made of several fields. ---

    def scores(
        self, raw: dict[str, Any], path: str, people: set[str]
    ) -> tuple[dict[str, int], dict[str, int]]:
        """The wheel (five domains, 1–10) and person scores (1–10)."""
        wheel_raw = self.obj(raw, "wheel", f"{path}.wheel", optional=True) or {}
        wheel: dict[str, int] = {}
        for key, value in wheel_raw.items():
            if key not in WHEEL_DOMAINS:
                self.bad(
                    f"{path}.wheel.{key}",
                    f"unknown family wheel domain; use one of "
                    f"{', '.join(WheelDomain.values)}",
                )
                continue
            wheel[key] = read(self.score(value, f"{path}.wheel.{key}", 1, 10))
        persons_raw = (
            self.obj(raw, "person_scores", f"{path}.person_scores", optional=True) or {}
        )
        persons: dict[str, int] = {}
        for key, value in persons_raw.items():
            if key not in people:
                self.bad(f"{path}.person_scores.{key}", "is not in the household")
                continue
            persons[key] = read(self.score(value, f"{path}.person_scores.{key}", 1, 10))
        return wheel, persons

    def person_ref(
        self, raw: dict[str, Any], path: str, people: set[str]
    ) -> str | None:
        person = self.text(raw, "person", path, max_length=MAX_ID)
        if person is not None and person not in people:
            self.bad(path, f"{person!r} is not in the household")
            return None
        return person
