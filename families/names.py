"""Name keys: how names are compared wherever a person is looked for.

A key keeps lower-case letters only, so case, accents, spaces and punctuation
never stop a match (``Person`` and the people on forms store the keys of their
names). A search first finds, among every key there is (``NameKey``), the keys
each word typed matches by the exact one-letter rule
(``family_connect.matching.token_score``): ``keys_matching``. People and forms
are then read by those keys alone, from B-tree indexes. The vocabulary is
narrowed with prefix and suffix patterns (``near_like_patterns``), which
PostgreSQL serves from a trigram index. The two keys of someone on a form run
together, which the vocabulary does not hold, are narrowed by the same
patterns read as ranges of B-tree indexes (``key_near_ranges``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from django.db import connection
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
    letters or more, which the indexes look up."""
    around = [(token[:i], token[i + 1 :]) for i in range(len(token))]
    swapped = [
        token[:i] + token[i + 1] + token[i] + token[i + 2 :]
        for i in range(len(token) - 1)
        if token[i] != token[i + 1]
    ]
    return around, swapped


def key_near_ranges(token: str, key: str) -> list[tuple[str, list[Any]]]:
    """A superset of the keys that ``token_score`` accepts for the word
    ``token``, as SQL conditions on the key (``key``: a column or an
    expression) with their parameters, each of which B-tree indexes on the
    key and on the key reversed read as one range of keys: the key starts
    with the word; for words of three letters or more, each of its
    ``near_patterns`` within a letter of the word's length, as a start of the
    key and a start of the key reversed, so that PostgreSQL reads whichever
    range holds fewer keys (it knows from the statistics of the indexes'
    expressions); and the swaps, looked up as keys. A key may meet more than
    one condition. Keys hold letters only: nothing in a pattern needs
    escaping."""
    like, like_reversed = f"{key} LIKE %s", f"REVERSE({key}) LIKE %s"
    pieces: list[tuple[str, list[Any]]] = [(like, [f"{token}%"])]
    if len(token) > 2:
        around, swapped = near_patterns(token)
        for start, end in around:
            conditions = [f"LENGTH({key}) BETWEEN %s AND %s"]
            params: list[Any] = [len(token) - 1, len(token) + 1]
            if start:
                conditions.append(like)
                params.append(f"{start}%")
            if end:
                conditions.append(like_reversed)
                params.append(f"{end[::-1]}%")
            pieces.append((" AND ".join(conditions), params))
        if swapped:
            places = ", ".join(["%s"] * len(swapped))
            pieces.append((f"{key} IN ({places})", list(swapped)))
    return pieces


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion,
    substitution or swap of neighbouring letters."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    shorter, longer = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(shorter) and shorter[i] == longer[i]:
        i += 1
    return shorter[i:] == longer[i + 1 :]


def token_score(token: str, key: str) -> int:
    """3 for the same key, 2 when the word starts the key, 1 when it is one
    letter from it; 0 when it does not match."""
    if not key:
        return 0
    if token == key:
        return 3
    if key.startswith(token):
        return 2
    if len(token) > 2 and within_one_edit(token, key):
        return 1
    return 0


def near_like_patterns(token: str) -> list[str]:
    """``key_near_q``'s patterns as ``LIKE`` patterns: the word as a start,
    and for words of three letters or more each start-and-end pair
    (``start%end``) and each swap. Keys hold letters only, so nothing in a
    pattern needs escaping."""
    patterns = [f"{token}%"]
    if len(token) > 2:
        around, swapped = near_patterns(token)
        patterns += [f"{start}%{end}" for start, end in around]
        patterns += swapped
    return patterns


def keys_matching(tokens: Sequence[str]) -> dict[str, list[str]]:
    """For each word typed (a name key), the keys in the vocabulary
    (``NameKey``) that ``token_score`` accepts for it: the word itself, keys
    it starts, and for words of three letters or more keys one letter away.
    One query for all the words, narrowed by ``near_like_patterns`` (served
    on PostgreSQL by the vocabulary's trigram index)."""
    from families.models import NameKey

    words = list(dict.fromkeys(t for t in tokens if t))
    if not words:
        return {}
    patterns = [p for word in words for p in near_like_patterns(word)]
    table = connection.ops.quote_name(NameKey._meta.db_table)
    column = connection.ops.quote_name("key")
    where = " OR ".join([f"{column} LIKE %s"] * len(patterns))
    found: dict[str, list[str]] = {word: [] for word in words}
    with connection.cursor() as cursor:
        # Only fixed names are joined here; every pattern is a parameter.
        cursor.execute(f"SELECT {column} FROM {table} WHERE {where}", patterns)  # noqa: S608
        keys = sorted(row[0] for row in cursor.fetchall())
    for key in keys:
        for word in words:
            if token_score(word, key):
                found[word].append(key)
    return found


def keys_in_q(keys: Sequence[str], columns: Sequence[str]) -> Q:
    """Any of ``columns`` holds one of ``keys`` (none: nothing matches)."""
    if not keys:
        return Q(pk__in=[])
    found = Q()
    for column in columns:
        found |= Q(**{f"{column}__in": list(keys)})
    return found
