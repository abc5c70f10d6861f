"""What someone typed into a search box, read as people type it.

Pure functions, no database: a query becomes name keys (as intake's matching
keys names), a date of birth (UK day/month order: "3/4/2014" is 3 April), a
year of birth, a postcode and a form reference. Whatever is not a date, a
postcode or a reference is a name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from core import clock
from families.names import name_key
from localities.postcodes import postcode_normalise

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b")
_WORDS = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})\b", re.IGNORECASE
)
_REFERENCE = re.compile(r"\bFC[\s-]?([0-9A-Z]{4})[\s-]?([0-9A-Z]{4})\b", re.IGNORECASE)
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
# Longer than any name or query anyone types; the rest is ignored.
MAX_LENGTH = 200
MAX_NAMES = 4

BAD_DATE = "Enter a real date of birth, like 3/4/2014 or 3 April 2014"


@dataclass(frozen=True)
class SearchQuery:
    text: str
    names: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    year_of_birth: int | None = None
    postcode: str | None = None
    reference: str | None = None
    errors: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (
            self.names
            or self.date_of_birth
            or self.year_of_birth
            or self.postcode
            or self.reference
        )


def _full_year(year: str) -> int:
    if len(year) == 4:
        return int(year)
    # "3/4/14" is 2014; "3/4/98" is 1998: nobody in early help is over 100.
    short = int(year)
    this_year = clock.now().year % 100
    return 2000 + short if short <= this_year else 1900 + short


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_query(raw: str | None) -> SearchQuery:
    """Read a query; ``errors`` says what could not be read (a date that does
    not exist)."""
    text = " ".join((raw or "").split())[:MAX_LENGTH]
    rest = text
    errors: list[str] = []
    date_of_birth = None
    reference = None
    postcode = None

    found = _REFERENCE.search(rest)
    if found:
        reference = f"FC-{found[1].upper()}-{found[2].upper()}"
        rest = rest[: found.start()] + " " + rest[found.end() :]

    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_WORDS, "dMy")):
        found = pattern.search(rest)
        if not found:
            continue
        if order == "ymd":
            date_of_birth = _date(int(found[1]), int(found[2]), int(found[3]))
        elif order == "dmy":
            date_of_birth = _date(_full_year(found[3]), int(found[2]), int(found[1]))
        else:
            month = MONTHS.get(found[2].lower())
            if month is None:
                continue
            date_of_birth = _date(int(found[3]), month, int(found[1]))
        if date_of_birth is None:
            errors.append(BAD_DATE)
        rest = rest[: found.start()] + " " + rest[found.end() :]
        break

    found = _POSTCODE.search(rest)
    if found:
        postcode = postcode_normalise(found[1] + found[2])
        if postcode:
            rest = rest[: found.start()] + " " + rest[found.end() :]

    year_of_birth = None
    found = _YEAR.search(rest)
    if found:
        year_of_birth = int(found[1])
        rest = rest[: found.start()] + " " + rest[found.end() :]

    names = tuple(k for k in (name_key(word) for word in rest.split()) if k)
    return SearchQuery(
        text=text,
        names=names[:MAX_NAMES],
        date_of_birth=date_of_birth,
        year_of_birth=year_of_birth,
        postcode=postcode,
        reference=reference,
        errors=tuple(errors),
    )
