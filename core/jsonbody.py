"""Reading JSON a client sent: the one reader for request bodies (the API's
parser and any view that reads JSON itself).

Python's ``json`` module recurses once per level of nesting, so ``[`` × 5,000
raises ``RecursionError`` (a 500) instead of a parse error; the depth is
counted first, without recursing, and anything deeper than ``MAX_DEPTH`` is
refused. A NUL (``\\u0000``) that only appears once the JSON is decoded, and
``NaN``/``Infinity``, are refused too: PostgreSQL can store none of them.
"""

from __future__ import annotations

import json
import re
from typing import Any

# No body the service accepts comes close: a form submission is four levels.
MAX_DEPTH = 64

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


def _has_nul(value: Any) -> bool:
    # Recursion is bounded: the depth was checked before decoding.
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def loads(text: str) -> Any:
    """The value of a JSON document, or ``JSONRefused`` with a message for the
    client when it is not valid, too deep, or holds what cannot be stored."""
    if _too_deep(text):
        raise JSONRefused(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise JSONRefused(f"The body is not valid JSON ({exc})") from None
    if _has_nul(value):
        raise JSONRefused("The JSON contains a NUL character (\\u0000).")
    return value
