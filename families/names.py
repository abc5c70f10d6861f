"""Name keys: how names are compared wherever a person is looked for.

A key keeps lower-case letters only, so case, accents, spaces and punctuation
never stop a match (``Person`` and the people on forms store the keys of their
names). Searches narrow by keys with prefix and suffix patterns
(``key_near_q``), which PostgreSQL serves from the trigram indexes of
``search/migrations``; the exact one-letter rule
(``family_connect.matching.token_score``) is then applied to the keys read.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from django.db.models import Q


def name_key(name: str | None) -> str:
    """Lower-case letters only: ``" O'Brien-Smith "`` → ``"obriensmith"``."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(ch for ch in decomposed.casefold() if ch.isalpha())


def name_keys(given_name: str | None, family_name: str | None) -> dict[str, str]:
    """The stored keys of a given and a family name, as model fields: every
    writer of a person or of someone on a form sets them from here."""
    return {
        "given_name_key": name_key(given_name),
        "family_name_key": name_key(family_name),
    }


def near_patterns(token: str) -> tuple[list[tuple[str, str]], list[str]]:
    """What every key within one letter of ``token`` (``within_one_edit``)
    looks like, as patterns an index serves: within a letter of the word's
    length, it starts and ends with the word's letters around one of them
    (one letter changed, missing or added there), or it is the word with two
    neighbouring letters swapped. Each pattern keeps a start or an end of two
    letters or more, which the trigram indexes look up."""
    around = [(token[:i], token[i + 1 :]) for i in range(len(token))]
    swapped = [
        token[:i] + token[i + 1] + token[i] + token[i + 2 :]
        for i in range(len(token) - 1)
        if token[i] != token[i + 1]
    ]
    return around, swapped


def key_near_q(token: str, columns: Sequence[str], lengths: Mapping[str, str]) -> Q:
    """A superset of the keys in ``columns`` that ``token_score`` accepts for
    the word ``token``: the key starts with the word or, for words of three
    letters or more, matches one of its ``near_patterns``. ``lengths`` names,
    for each column, an annotation holding the length of its key."""
    found = Q()
    for column in columns:
        near = Q(**{f"{column}__startswith": token})
        if len(token) > 2:
            around, swapped = near_patterns(token)
            one_letter = Q()
            for start, end in around:
                pattern = Q()
                if start:
                    pattern &= Q(**{f"{column}__startswith": start})
                if end:
                    pattern &= Q(**{f"{column}__endswith": end})
                one_letter |= pattern
            near |= (
                Q(
                    **{
                        f"{lengths[column]}__gte": len(token) - 1,
                        f"{lengths[column]}__lte": len(token) + 1,
                    }
                )
                & one_letter
            )
            for other in swapped:
                near |= Q(**{column: other})
        found |= near
    return found
