"""The database keeps the vocabulary of name keys (``NameKey``) itself.

Triggers on the people and the form members tables add every key a row is
written with, whatever writes it (the services, the batched records import,
a data fix in SQL); the keys already there are copied in. On PostgreSQL the
triggers work a statement at a time (its transition tables), so a batched
insert of thousands of rows adds its keys in one step; SQLite (the embedded
demo) has row triggers. PostgreSQL also gets a trigram index on the keys,
which ``families.names.keys_matching`` narrows with prefix and suffix
patterns. Reversible: going back drops the triggers and the function.
"""

from django.db import migrations

TABLES = ("casework_person", "family_connect_formmember")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION families_name_keys_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO families_namekey (key)
    SELECT k FROM (
        SELECT given_name_key AS k FROM written
        UNION SELECT family_name_key FROM written
    ) AS keys
    WHERE k <> ''
    ON CONFLICT (key) DO NOTHING;
    RETURN NULL;
END
$$
"""

COPY = """
INSERT INTO families_namekey (key)
SELECT k FROM (
    SELECT given_name_key AS k FROM casework_person
    UNION SELECT family_name_key FROM casework_person
    UNION SELECT given_name_key FROM family_connect_formmember
    UNION SELECT family_name_key FROM family_connect_formmember
) AS keys
WHERE k <> ''
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS families_namekey_key_trgm "
            "ON families_namekey USING gin (key gin_trgm_ops)"
        )
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            for event in ("INSERT", "UPDATE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_name_keys_{event.lower()} "
                    f"AFTER {event} ON {table} "
                    "REFERENCING NEW TABLE AS written FOR EACH STATEMENT "
                    "EXECUTE FUNCTION families_name_keys_add()"
                )
        schema_editor.execute(COPY + " ON CONFLICT (key) DO NOTHING")
    elif vendor == "sqlite":
        for table in TABLES:
            for event in ("INSERT", "UPDATE OF given_name_key, family_name_key"):
                name = event.split()[0].lower()
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_name_keys_{name} AFTER {event} "
                    f"ON {table} BEGIN "
                    "INSERT OR IGNORE INTO families_namekey (key) "
                    "SELECT NEW.given_name_key WHERE NEW.given_name_key <> ''; "
                    "INSERT OR IGNORE INTO families_namekey (key) "
                    "SELECT NEW.family_name_key WHERE NEW.family_name_key <> ''; "
                    "END"
                )
        schema_editor.execute(COPY.replace("INSERT INTO", "INSERT OR IGNORE INTO"))


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        for name in ("insert", "update"):
            on = f" ON {table}" if vendor == "postgresql" else ""
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {table}_name_keys_{name}{on}"
            )
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS families_name_keys_add()")
        schema_editor.execute("DROP INDEX IF EXISTS families_namekey_key_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0003_name_keys"),
        ("family_connect", "0010_search_key_indexes"),
        ("casework", "0025_case_person_locality"),
    ]

    operations = [migrations.RunPython(create, drop)]
