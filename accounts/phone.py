"""Staff work phone numbers, as people type them: UK numbers only.

Pure functions, no database. Spaces, hyphens, dots and brackets are ignored;
"+44" or "0044" stands for the leading 0 (with or without the "(0)" some write
after it). What is kept is what was typed, tidied: single spaces, no space at
either end.
"""

from __future__ import annotations

import re

from core.errors import InvalidInput

BAD_PHONE = "Enter a UK telephone number, like 0121 496 0000 or 07700 900 982"
TOO_LONG = "Enter a telephone number of no more than 20 characters"
MAX_LENGTH = 20

_ALLOWED = re.compile(r"^\+?[0-9 ()\-.]+$")
# A UK number is 0 then 9 or 10 digits, the 0 not followed by another 0.
_UK = re.compile(r"^0[1-9][0-9]{8,9}$")


def phone_clean(typed: str) -> str:
    """The number tidied for keeping; "" for none. Raises ``InvalidInput``
    (field "phone") for anything that is not a UK telephone number."""
    text = " ".join((typed or "").split())
    if not text:
        return ""
    if len(text) > MAX_LENGTH:
        raise InvalidInput(TOO_LONG, field="phone")
    if not _ALLOWED.match(text):
        raise InvalidInput(BAD_PHONE, field="phone")
    digits = re.sub(r"[^0-9+]", "", text.replace("(0)", ""))
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    if not _UK.match(digits):
        raise InvalidInput(BAD_PHONE, field="phone")
    return text
