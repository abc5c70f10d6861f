"""A password validator for the guessable patterns that a length rule lets
through: one character repeated (``aaaaaaaaaaaa``), a short pattern repeated
(``abcabcabcabc``, ``121212121212``, ``blueberryblueberry``) and runs along the
alphabet, the digits or the keyboard (``123456789012``, ``qwertyuiopas``),
forwards or backwards.

With the length, common-password and similarity validators this follows the
NCSC's password guidance, which advises against composition rules (so no
"entirely numeric" rule: twelve random digits are as strong as three random
words, and numeric runs and repeats are refused here)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

MESSAGE = (
    "Your password must not be a repeated character, a repeated pattern or a "
    "sequence like ‘12345’ or ‘qwerty’. Try 3 random words"
)
# Each string is a sequence people type along; the digits and the alphabet wrap
# round (``...7890123``).
SEQUENCES = (
    ("0123456789", True),
    ("abcdefghijklmnopqrstuvwxyz", True),
    ("qwertyuiopasdfghjklzxcvbnm", False),
    ("!@#$%^&*()", True),
)


def _steps() -> set[tuple[str, str]]:
    """Every pair of characters one step apart, either way, in a sequence."""
    pairs = set()
    for chars, wraps in SEQUENCES:
        ring = chars + chars[0] if wraps else chars
        for a, b in zip(ring, ring[1:], strict=False):
            pairs |= {(a, b), (b, a)}
    return pairs


STEPS = _steps()


def is_repeated_pattern(password: str) -> bool:
    """The password is a shorter piece typed at least twice over (the last
    time perhaps in part)."""
    n = len(password)
    return any(
        all(password[i] == password[i % period] for i in range(n))
        for period in range(1, n // 2 + 1)
    )


def is_sequence(password: str) -> bool:
    """Every character repeats the one before it or is one step from it along a
    sequence."""
    return all(
        a == b or (a, b) in STEPS for a, b in zip(password, password[1:], strict=False)
    )


class GuessablePatternValidator:
    def validate(self, password: str, user: Any = None) -> None:
        folded = password.lower()
        if is_repeated_pattern(folded) or is_sequence(folded):
            raise ValidationError(MESSAGE, code="password_guessable_pattern")

    def get_help_text(self) -> str:
        return (
            "Your password must not be a repeated character, a repeated pattern "
            "or a sequence."
        )
