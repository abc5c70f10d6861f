"""The candidate patterns of a name search are a superset of what the
one-letter rule accepts (pure: no database)."""

from __future__ import annotations

import itertools

from families.names import near_patterns
from family_connect.matching import token_score, within_one_edit


def _matches_patterns(token: str, key: str) -> bool:
    """``key`` as the database reads ``key_near_ranges``' patterns for ``token``."""
    if key.startswith(token):
        return True
    around, swapped = near_patterns(token)
    near_length = len(token) - 1 <= len(key) <= len(token) + 1
    return key in swapped or (
        near_length
        and any(key.startswith(start) and key.endswith(end) for start, end in around)
    )


def test_every_key_the_one_letter_rule_accepts_is_a_candidate():
    # Every word of three to five letters over a small alphabet against every
    # key up to two letters longer: the rule's cases, exhaustively.
    alphabet = "abr"
    missed = []
    for n in range(3, 6):
        for token in map("".join, itertools.product(alphabet, repeat=n)):
            for length in range(n - 2, n + 3):
                for key in map("".join, itertools.product(alphabet, repeat=length)):
                    if token_score(token, key) and not _matches_patterns(token, key):
                        missed.append((token, key))
    assert missed == []


def test_the_patterns_keep_enough_letters_to_look_up():
    # A start of a letter or more, or an end of two or more: each gives the
    # trigram index something to find.
    around, swapped = near_patterns("bryne")
    assert all(start or len(end) >= 2 for start, end in around)
    assert around == [
        ("", "ryne"),
        ("b", "yne"),
        ("br", "ne"),
        ("bry", "e"),
        ("bryn", ""),
    ]
    assert swapped == ["rbyne", "byrne", "brnye", "bryen"]
    assert within_one_edit("bryne", "byrne")
