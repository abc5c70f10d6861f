"""Trigram indexes for search, on PostgreSQL only.

The name keys of people and the written names of the people on forms are
searched with prefix and suffix patterns (``search.selectors``), which
PostgreSQL serves from GIN trigram indexes. ``CREATE EXTENSION pg_trgm`` needs
a role allowed to create extensions (a superuser, or since PostgreSQL 13 the
database owner, pg_trgm being trusted); see the README's production notes.
SQLite (the embedded demo) gets nothing: it searches the same patterns by
scanning. Reversible: going back drops the indexes and leaves the extension.
"""

from django.db import migrations

INDEXES = [
    ("search_person_given_key_trgm", "casework_person", "given_name_key"),
    ("search_person_family_key_trgm", "casework_person", "family_name_key"),
    (
        "search_formmember_given_trgm",
        "family_connect_formmember",
        "UPPER(given_name::text)",
    ),
    (
        "search_formmember_family_trgm",
        "family_connect_formmember",
        "UPPER(family_name::text)",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        expression = column if "(" in column else f'"{column}"'
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (({expression}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0002_content_types"),
        ("family_connect", "0007_event_kinds_checked"),
    ]

    operations = [migrations.RunPython(create, drop)]
