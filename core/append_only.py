"""Migration operations that make a table append-only in the database
(PostgreSQL). ``append_only`` installs a row trigger that refuses UPDATE and
DELETE; ``refuse_truncate`` adds the statement trigger that refuses TRUNCATE,
which row triggers never see (nor does a TRUNCATE ... CASCADE from a table the
append-only one points at). Both are reversible; nothing on SQLite, where the
models' own ``save`` refusal is the guard.

The triggers stop the application and anyone who reaches the database with its
credentials, provided its role owns no table (README, "Database roles"): the
owner can drop or disable a trigger."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _refuse_function(table: str) -> str:
    # One function per table serves the row and the statement trigger.
    return f"""
CREATE OR REPLACE FUNCTION {table}_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def _on_postgresql(forwards_sql: str, backwards_sql: str) -> migrations.RunPython:
    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forwards_sql)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(backwards_sql)

    return migrations.RunPython(forwards, backwards)


def append_only(table: str) -> migrations.RunPython:
    """Refuse UPDATE and DELETE of any row of ``table``."""
    create = (
        _refuse_function(table)
        + f"""
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change();
"""
    )
    drop = f"""
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP FUNCTION IF EXISTS {table}_refuse_change();
"""
    return _on_postgresql(create, drop)


def refuse_truncate(table: str) -> migrations.RunPython:
    """Refuse TRUNCATE of ``table``, directly or by cascade. Goes with
    ``append_only(table)``, whose function it shares; reversing it leaves that
    function to ``append_only``."""
    create = (
        _refuse_function(table)
        + f"""
CREATE TRIGGER {table}_refuse_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse_change();
"""
    )
    drop = f"DROP TRIGGER IF EXISTS {table}_refuse_truncate ON {table};"
    return _on_postgresql(create, drop)
