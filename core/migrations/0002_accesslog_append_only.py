"""Make the access log append-only in the database too (PostgreSQL): a trigger
refuses UPDATE and DELETE on core_accesslog. Retention purges, when they come, run
as a database role that may disable the trigger, and leave an audit stub.
Reversible: dropping the trigger restores plain behaviour. No-op on SQLite."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_accesslog_append_only
    BEFORE UPDATE OR DELETE ON core_accesslog
    FOR EACH ROW EXECUTE FUNCTION core_accesslog_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS core_accesslog_append_only ON core_accesslog;
DROP FUNCTION IF EXISTS core_accesslog_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
