"""The two name keys of someone on a form run together are read from B-tree
indexes on them and on them reversed, in place of their trigram index.

A name typed with its spaces left out ("roisinbyrne") is looked for among the
keys run together within one letter of it (``families.names.key_near_ranges``):
a start and an end of the word for each letter, the word with two neighbouring
letters swapped, and the word as a start. On the trigram index each of those
was a bitmap scan of its own, 0.3 to 1 ms however few keys it found, and every
member found was then read from the table to test the pattern: at the
five-year city scale 8 ms of the 13 ms the forms of a search for "Roisin
Byrne" took. A B-tree on the keys run together reads a start as one range, and
one on them reversed an end; each includes the member's id, form and two keys,
so that a pattern is tested in the index and only the members it keeps are
read on: under 2 ms for that name. The text pattern operators let
``LIKE 'start%'`` use an index whatever the database's collation.

The expressions are written as ``family_connect.selectors`` renders them, so
that the planner recognises them. PostgreSQL only (SQLite, the embedded demo,
gets nothing, as in ``0003``); going back restores the trigram index with its
short pending list (``0005``).
"""

from django.db import migrations

JOINED = '("given_name_key" || "family_name_key")'
COLUMNS = "id, form_id, given_name_key, family_name_key"
BTREE = [
    ("search_formmember_full_key", JOINED),
    ("search_formmember_full_key_reversed", f"reverse({JOINED})"),
]
TRIGRAM = "search_formmember_full_key_trgm"
PENDING_LIST_KB = 128


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in BTREE:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON family_connect_formmember "
            f"(({expression}) text_pattern_ops) INCLUDE ({COLUMNS})"
        )
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM}")
    # The planner chooses between the two ranges by the statistics of the
    # indexes' expressions, which only ANALYZE gathers.
    schema_editor.execute("ANALYZE family_connect_formmember")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM} ON family_connect_formmember "
        f"USING gin (({JOINED}) gin_trgm_ops) "
        f"WITH (gin_pending_list_limit = {PENDING_LIST_KB})"
    )
    for name, _expression in BTREE:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_trigram_pending_lists_bounded")]

    operations = [migrations.RunPython(forward, backward)]
