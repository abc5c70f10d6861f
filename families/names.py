"""Name keys: how names are compared wherever a person is looked for.

A key keeps lower-case letters only, so case, accents, spaces and punctuation
never stop a match (``Person`` stores the keys of its names).
"""

from __future__ import annotations

import unicodedata


def name_key(name: str | None) -> str:
    """Lower-case letters only: ``" O'Brien-Smith "`` → ``"obriensmith"``."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(ch for ch in decomposed.casefold() if ch.isalpha())
