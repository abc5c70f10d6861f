"""Trigram indexes on the name keys of the people on forms, on PostgreSQL only.

Forms are found by name with the same prefix and suffix patterns as people
(``families.names.key_near_q``), on each key and on the two run together (a
name typed with its spaces left out, "ayeshakhan"); without these indexes a
manager's search read every member of the locality's forms (27,000 forms at
the five-year city scale). The pattern of ``0001``: SQLite (the embedded demo)
gets nothing; reversible.
"""

from django.db import migrations

# The joined expression is written as ``family_connect.selectors`` renders it,
# so that the planner recognises it.
INDEXES = [
    ("search_formmember_given_key_trgm", '"given_name_key"'),
    ("search_formmember_family_key_trgm", '"family_name_key"'),
    ("search_formmember_full_key_trgm", '("given_name_key" || "family_name_key")'),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON family_connect_formmember "
            f"USING gin (({expression}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_form_member_birth_date_index"),
        ("family_connect", "0008_form_member_name_keys"),
    ]

    operations = [migrations.RunPython(create, drop)]
