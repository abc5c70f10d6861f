"""Reading what people type into the search box (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from families.query import BAD_DATE, parse_query
from family_connect.matching import names_score, token_score

APRIL_3 = dt.date(2014, 4, 3)


@pytest.mark.parametrize(
    "typed",
    [
        "3/4/2014",
        "03/04/2014",
        "3-4-2014",
        "3.4.14",
        "3 April 2014",
        "3rd april 2014",
        "3 Apr 2014",
        "2014-04-03",
    ],
)
def test_dates_of_birth_as_people_type_them(typed):
    query = parse_query(typed)
    assert query.date_of_birth == APRIL_3
    assert query.names == () and query.errors == ()


def test_a_date_that_does_not_exist_says_so():
    query = parse_query("31/02/2014")
    assert query.date_of_birth is None and query.errors == (BAD_DATE,)


def test_names_dates_postcodes_and_references_together():
    query = parse_query("  Zoë   O'Brien 3/4/2014 b236tj ")
    assert query.names == ("zoe", "obrien")
    assert query.date_of_birth == APRIL_3
    assert query.postcode == "B23 6TJ"
    assert parse_query("fc-7k3m q9td").reference == "FC-7K3M-Q9TD"
    assert parse_query("Khan 2014").year_of_birth == 2014
    assert parse_query("   ").is_empty


@pytest.mark.parametrize(
    ("typed", "key", "score"),
    [
        ("obrien", "obrien", 3),
        ("obr", "obrien", 2),
        ("obrein", "obrien", 1),  # two letters swapped
        ("brien", "obrien", 1),  # one letter missing
        ("smyth", "smith", 1),
        ("kahn", "khan", 1),  # swapped across the middle
        ("jon", "john", 1),
        ("jo", "joe", 2),
        ("jn", "jon", 0),  # too short to forgive a letter
        ("smoth", "smythe", 0),
    ],
)
def test_name_words_match_keys_like_intake(typed, key, score):
    assert token_score(typed, key) == score


def test_every_word_must_match_a_name():
    assert names_score(["zoe", "obrien"], ["zoe", "obrien"]) == 6
    assert names_score(["zoe", "smith"], ["zoe", "obrien"]) is None
