"""A name typed with its spaces left out finds the forms of everyone whose two
keys run together are within one letter of it (``matching.names_match``),
wherever the letter is, and those only; PostgreSQL reads the keys run
together from B-tree ranges (``families.names.key_near_ranges``)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from families.names import name_keys
from families.query import parse_query
from family_connect.matching import names_match
from family_connect.models import FamilyConnectForm, FormMember
from family_connect.selectors import form_ids_naming
from tests.factories import FormFactory

pytestmark = pytest.mark.django_db

NAME = "roisinbyrne"
GIVEN_LENGTH = len("roisin")


def _one_letter_out(word: str) -> list[str]:
    """``word`` with one letter changed, missing or added, or two neighbours
    swapped, at every position: the start, the middle and the end."""
    changed = [word[:i] + "z" + word[i + 1 :] for i in range(len(word))]
    missing = [word[:i] + word[i + 1 :] for i in range(len(word))]
    added = [word[:i] + "z" + word[i:] for i in range(len(word) + 1)]
    swapped = [
        word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)
    ]
    return [*changed, *missing, *added, *swapped]


def _two_letters_out(word: str) -> list[str]:
    return [
        "z" + word[1:-1] + "z",  # two changed
        word[1:-1],  # two missing
        "zz" + word,  # two added
        word[2] + word[1] + word[0] + word[3:],  # swapped two apart
        word[1] + word[0] + word[2:-2] + word[-1] + word[-2],  # two swaps
    ]


@pytest.fixture
def members():
    """A form for each name one or two letters from ``NAME``, written as a
    given and a family name."""
    for full in dict.fromkeys([NAME, *_one_letter_out(NAME), *_two_letters_out(NAME)]):
        given, family = full[:GIVEN_LENGTH], full[GIVEN_LENGTH:]
        FormFactory().members.create(
            position=0,
            role="child",
            date_of_birth=dt.date(2015, 6, 1),
            given_name=given,
            family_name=family,
            **name_keys(given, family),
        )


def _expected(typed: str) -> list[int]:
    """The forms the one-letter rule names, newest first, read in Python."""
    names = parse_query(typed).names
    return [
        form.pk
        for form in FamilyConnectForm.objects.order_by("-received_at", "pk")
        if any(
            names_match(names, m.given_name_key, m.family_name_key)
            for m in FormMember.objects.filter(form=form)
        )
    ]


def test_a_name_run_together_finds_every_form_one_letter_from_it(members):
    typed_words = [NAME, *_one_letter_out(NAME)]
    wrong = {}
    for typed in typed_words:
        found = form_ids_naming(FamilyConnectForm.objects.all(), parse_query(typed))
        expected = _expected(typed)
        if sorted(found) != sorted(expected):
            wrong[typed] = (sorted(found), sorted(expected))
    assert wrong == {}
    # The name itself: every form one letter out, none two letters out.
    found = form_ids_naming(FamilyConnectForm.objects.all(), parse_query(NAME))
    assert len(found) == 1 + len(set(_one_letter_out(NAME)))


@pytest.mark.parametrize("typed", ["roisi nbyrne", "roisin byrme", "r oisinbyrne"])
def test_words_run_together_find_the_same_forms_as_one_word(members, typed):
    found = form_ids_naming(FamilyConnectForm.objects.all(), parse_query(typed))
    assert sorted(found) == sorted(_expected(typed))
    assert found


def _member_indexes(sql: str) -> list[tuple[str, str]]:
    """The (node type, index) of every scan of form members PostgreSQL plans
    for the query, with table and bitmap scans ruled out unless nothing else
    will do (the test's tables are too small for the planner to choose as at
    scale)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_bitmapscan")
    found = []

    def walk(node):
        if node.get("Relation Name") == "family_connect_formmember":
            found.append((node["Node Type"], node.get("Index Name", "")))
        for child in node.get("Plans", []):
            walk(child)

    walk((plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"])
    return found


def test_the_keys_run_together_are_read_from_their_b_tree_indexes(members):
    """Each start and end of the name is a range of the index on the keys run
    together or of the index on them reversed, read from the index alone."""
    with CaptureQueriesContext(connection) as captured:
        form_ids_naming(FamilyConnectForm.objects.all(), parse_query(NAME))
    (sql,) = [q["sql"] for q in captured.captured_queries if "WITH named" in q["sql"]]
    scans = _member_indexes(sql)
    assert {node for node, _index in scans} == {"Index Only Scan"}
    assert {index for _node, index in scans} == {
        "search_formmember_full_key",
        "search_formmember_full_key_reversed",
    }
