"""Reading JSON a client sent: the one reader for request bodies (the API's
parser and any view that reads JSON itself).

Python's ``json`` module recurses once per level of nesting, so ``[`` × 5,000
raises ``RecursionError`` (a 500) instead of a parse error; the depth is
counted first, without recursing, and anything deeper than ``MAX_DEPTH`` is
refused. A NUL (``\\u0000``) that only appears once the JSON is decoded, and
``NaN``/``Infinity``, are refused too: PostgreSQL can store none of them.

``DATA_UPLOAD_MAX_NUMBER_FIELDS`` bounds form posts only; for JSON the number of
object keys in the whole document (``MAX_KEYS``) and of items in any one list
(``MAX_ITEMS``) are bounded here, so a body of a few hundred KB cannot make a
serializer walk (and report on) tens of thousands of values.
"""

from __future__ import annotations

import json
import re
from typing import Any

# No body the service accepts comes close: a form submission is four levels.
MAX_DEPTH = 64
# The largest real body, a form for a household of 30 people, has a few
# hundred keys and no list longer than 30 items.
MAX_KEYS = 1000
MAX_ITEMS = 500

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class JSONRefused(ValueError):
    """A body that is not JSON the service will read; the message says why."""


def _too_deep(text: str) -> bool:
    # Brackets inside strings are text, not nesting: strings go first.
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        else:
            depth -= 1
    return False


def _refuse_constant(name: str) -> Any:
    raise JSONRefused(f"{name} is not a number JSON allows")


def _refusal(value: Any) -> str | None:
    """Why a decoded document is refused (a NUL, too many keys or items), or
    None. One walk, with a stack rather than recursion."""
    keys = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "The JSON contains a NUL character (\\u0000)."
        elif isinstance(item, dict):
            keys += len(item)
            if keys > MAX_KEYS:
                return f"The JSON has more than {MAX_KEYS} keys in all."
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            if len(item) > MAX_ITEMS:
                return f"A list in the JSON has more than {MAX_ITEMS} items."
            stack.extend(item)
    return None


def loads(text: str) -> Any:
    """The value of a JSON document, or ``JSONRefused`` with a message for the
    client when it is not valid, too deep, too large in keys or items, or holds
    what cannot be stored."""
    if _too_deep(text):
        raise JSONRefused(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise JSONRefused(f"The body is not valid JSON ({exc})") from None
    refusal = _refusal(value)
    if refusal:
        raise JSONRefused(refusal)
    return value
