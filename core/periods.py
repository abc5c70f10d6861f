"""Month arithmetic in the partnership's time zone (Europe/London).

Reporting periods are calendar months, half years (April–September and
October–March) and financial years, all with local-time bounds: a form received at
00:30 BST on 1 May belongs to May even though it is 23:30 UTC on 30 April.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's end:
    31 January + 1 month is 28 (or 29) February."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_months_to_moment(moment: datetime, months: int) -> datetime:
    """The same local (Europe/London) time of day ``months`` later, the day
    clamped to the month's end: 30 November 10:00 + 3 → 28/29 February 10:00."""
    local = moment.astimezone(LONDON)
    day = add_months(local.date(), months)
    return datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=LONDON)


def local_midnight(day: date) -> datetime:
    """The aware datetime of 00:00 on ``day`` in Europe/London."""
    return datetime.combine(day, time.min, tzinfo=LONDON)


def local_date(moment: datetime) -> date:
    """The Europe/London calendar date of an aware datetime."""
    return moment.astimezone(LONDON).date()


def before_today(day: date) -> bool:
    """Whether ``day`` is before today (Europe/London): a due date set now may
    not be. Against the real present, not a moment ``core.clock`` replays."""
    return day < local_date(timezone.now())


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 9999:
            raise ValueError(f"Not a month: {self.year}-{self.month:02d}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM``; anything else raises ValueError."""
        match = _PERIOD_RE.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise ValueError(
                f"Enter a month as YYYY-MM, for example 2024-05 (got {text!r})"
            )
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: date | datetime) -> Month:
        if isinstance(day, datetime):
            day = local_date(day)
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(
            self.year, self.month, calendar.monthrange(self.year, self.month)[1]
        )

    def plus(self, months: int) -> Month:
        return Month.of(add_months(self.first_day, months))

    @property
    def end(self) -> datetime:
        """The end of the month in Europe/London: 00:00 on the 1st of the next
        month (23:00 or 00:00 UTC). The one place a month's end is worked out;
        everything in a period ends strictly before it."""
        return local_midnight(self.plus(1).first_day)

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware [start, end) datetimes of the month in Europe/London."""
        return local_midnight(self.first_day), self.end

    def until(self, now: datetime) -> datetime:
        """What a report for this month counts up to: the month's end, or
        ``now`` while the month is still running."""
        return min(self.end, now)

    def label(self) -> str:
        return self.first_day.strftime("%B %Y")


def previous_month(today: date) -> Month:
    return Month.of(today).plus(-1)


def half_year_of(month: Month) -> tuple[Month, Month]:
    """The half year containing ``month``: April–September or October–March."""
    if 4 <= month.month <= 9:
        return Month(month.year, 4), Month(month.year, 9)
    start_year = month.year if month.month >= 10 else month.year - 1
    return Month(start_year, 10), Month(start_year + 1, 3)


def financial_year_of(month: Month) -> tuple[Month, Month]:
    """The financial year (April–March) containing ``month``."""
    start_year = month.year if month.month >= 4 else month.year - 1
    return Month(start_year, 4), Month(start_year + 1, 3)


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last`` inclusive (empty if last < first)."""
    result: list[Month] = []
    current = first
    while current <= last:
        result.append(current)
        current = current.plus(1)
    return result


def months_arguments_add(
    parser: CommandParser,
    *,
    months_help: str = "also the months before it (default: 1, the month)",
) -> None:
    """A command's ``--period YYYY-MM [--months N]``: a month, and how many
    months ending with it; read back by ``months_from_options``."""
    parser.add_argument("--period", required=True, help="YYYY-MM")
    parser.add_argument("--months", type=int, default=1, help=months_help)


def months_from_options(options: Mapping[str, Any]) -> list[Month]:
    """The months a command's ``--period`` and ``--months`` name, oldest first,
    ending with the period; a period not given as YYYY-MM, or fewer than one
    month, is a CommandError."""
    try:
        period = Month.parse(options["period"])
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if options["months"] < 1:
        raise CommandError("--months must be 1 or more.")
    return months_between(period.plus(1 - options["months"]), period)
