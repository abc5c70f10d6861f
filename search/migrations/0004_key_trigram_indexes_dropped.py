"""The trigram indexes on each person's and each form member's name key are
dropped: searches read people and forms by the exact keys their words match
(``families.names.keys_matching``, B-tree indexes), and the vocabulary of keys
has its own trigram index (``families/migrations/0004``). Every write of a
person or a member no longer updates two GIN indexes. The index on a member's
two keys run together stays: a name typed with its spaces left out is still
found by pattern. PostgreSQL only; going back creates them again."""

from django.db import migrations

DROPPED = [
    ("search_person_given_key_trgm", "casework_person", "given_name_key"),
    ("search_person_family_key_trgm", "casework_person", "family_name_key"),
    ("search_formmember_given_key_trgm", "family_connect_formmember", "given_name_key"),
    (
        "search_formmember_family_key_trgm",
        "family_connect_formmember",
        "family_name_key",
    ),
]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in DROPPED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in DROPPED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f'USING gin (("{column}") gin_trgm_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_form_member_key_trigram_indexes"),
        ("families", "0004_name_key_triggers"),
    ]

    operations = [migrations.RunPython(drop, create)]
