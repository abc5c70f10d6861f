"""An index on the dates of birth of the people on forms, on PostgreSQL only.

Search finds forms by a child's date of birth (``search.selectors``); without
it PostgreSQL read every form member (600,000 at the five-year city scale) for
each such search. SQLite (the embedded demo) gets nothing, as in ``0001``.
Reversible.
"""

from django.db import migrations

NAME = "search_formmember_birth_date"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} "
        "ON family_connect_formmember (date_of_birth)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_trigram_indexes")]

    operations = [migrations.RunPython(create, drop)]
