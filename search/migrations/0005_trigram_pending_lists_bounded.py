"""The trigram indexes search reads keep a short pending list, and the two
trigram indexes on members' written names, which nothing reads, are dropped.

A GIN index takes new entries into a pending list that every search scans in
full until it is merged into the index (by vacuum, or when it reaches its
limit: 4 MB by default). After a burst of forms the pending list of the index
on a member's two keys run together held 17,560 entries, and a search by a
misspelt name took 42 ms on that index instead of 2. At 128 kB the list is
merged about thirty times as often, each time in one step, and a search scans
at most a thirtieth of it. The indexes on ``UPPER(given_name)`` and
``UPPER(family_name)`` (``0001``) have had no query since searches read name
keys: every member written updated them for nothing. PostgreSQL only; going
back restores both."""

from django.db import migrations

BOUNDED = ["search_formmember_full_key_trgm", "families_namekey_key_trgm"]
PENDING_LIST_KB = 128
UNREAD = [
    ("search_formmember_given_trgm", "UPPER(given_name::text)"),
    ("search_formmember_family_trgm", "UPPER(family_name::text)"),
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _expression in UNREAD:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name in BOUNDED:
        schema_editor.execute(
            f"ALTER INDEX IF EXISTS {name} "
            f"SET (gin_pending_list_limit = {PENDING_LIST_KB})"
        )
        # What is pending now is merged at once.
        schema_editor.execute(
            "SELECT gin_clean_pending_list(to_regclass(%s)) "
            "WHERE to_regclass(%s) IS NOT NULL",
            [name, name],
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in BOUNDED:
        schema_editor.execute(
            f"ALTER INDEX IF EXISTS {name} RESET (gin_pending_list_limit)"
        )
    for name, expression in UNREAD:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON family_connect_formmember "
            f"USING gin (({expression}) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_key_trigram_indexes_dropped"),
        ("families", "0005_name_key_indexes_cover"),
    ]

    operations = [migrations.RunPython(forward, backward)]
