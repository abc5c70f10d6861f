"""The production database roles (README.md, "Database roles"): the roles made
by scripts/database-roles.sql really keep the application's role from emptying
or unprotecting the append-only tables, and let it write what it must.

Roles belong to the whole PostgreSQL cluster, so each run makes its own, with
names of its own, and drops them afterwards."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "database-roles.sql"
APPEND_ONLY_TABLES = ["core_accesslog", "casework_purgedrecord"]


def _connect(user: str, password: str | None = None) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        dbname=db["NAME"],
        user=user,
        password=password or db["PASSWORD"] or None,
        autocommit=True,
    )


def _script(**variables: str) -> str:
    """The script as psql runs it with ``-v name=value``: :"name" is an
    identifier, :'name' a literal."""

    def value(match: re.Match[str]) -> str:
        name = match.group(2)
        quoted = (
            sql.Identifier(variables[name])
            if match.group(1) == '"'
            else sql.Literal(variables[name])
        )
        return quoted.as_string()

    return re.sub(r""":(["'])(\w+)\1""", value, SCRIPT.read_text())


@pytest.fixture
def roles(db) -> Iterator[dict[str, str]]:
    suffix = uuid.uuid4().hex[:10]
    names = {
        "owner": f"ehc_test_owner_{suffix}",
        "app": f"ehc_test_app_{suffix}",
        "app_password": uuid.uuid4().hex,
        "owner_password": uuid.uuid4().hex,
        "probe": f"ehc_roles_probe_{suffix}",
    }
    with _connect(connection.settings_dict["USER"]) as admin:
        try:
            # The owner role; in production it owns the database and runs migrate.
            admin.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(names["owner"]), sql.Literal(names["owner_password"])
                )
            )
            admin.execute(
                sql.SQL("GRANT USAGE, CREATE ON SCHEMA public TO {}").format(
                    sql.Identifier(names["owner"])
                )
            )
            admin.execute(_script(**names))
            yield names
        finally:
            for role in (names["app"], names["owner"]):
                exists = admin.execute(
                    "SELECT 1 FROM pg_roles WHERE rolname = %s", [role]
                ).fetchone()
                if exists:
                    admin.execute(
                        sql.SQL("DROP OWNED BY {0}; DROP ROLE {0}").format(
                            sql.Identifier(role)
                        )
                    )


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_the_application_role_cannot_empty_or_unprotect_an_append_only_table(
    roles, table
):
    with _connect(roles["app"], roles["app_password"]) as app:
        app.execute("SET lock_timeout = '5s'")
        name = sql.Identifier(table)
        attempts = {
            "permission denied": [
                sql.SQL("TRUNCATE {}").format(name),
                sql.SQL("SET session_replication_role = replica"),
            ],
            "must be owner": [
                sql.SQL("DROP TRIGGER {} ON {}").format(
                    sql.Identifier(f"{table}_refuse_truncate"), name
                ),
                sql.SQL("DROP TRIGGER {} ON {}").format(
                    sql.Identifier(f"{table}_append_only"), name
                ),
                sql.SQL("ALTER TABLE {} DISABLE TRIGGER ALL").format(name),
                sql.SQL("ALTER TABLE {} DISABLE TRIGGER {}").format(
                    name, sql.Identifier(f"{table}_refuse_truncate")
                ),
                sql.SQL("DROP TABLE {}").format(name),
            ],
        }
        for message, statements in attempts.items():
            for statement in statements:
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match=message):
                    app.execute(statement)
    with _connect(connection.settings_dict["USER"]) as admin:
        triggers = admin.execute(
            "SELECT tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname",
            [table],
        ).fetchall()
    assert triggers == [
        (f"{table}_append_only", "O"),
        (f"{table}_refuse_truncate", "O"),
    ]


def test_the_application_role_writes_to_the_access_log_and_new_tables(roles):
    with _connect(roles["app"], roles["app_password"]) as app:
        with app.transaction(force_rollback=True):
            (entry,) = app.execute(
                "INSERT INTO core_accesslog "
                "(at, user_email, action, channel, object_type, object_id, path) "
                "VALUES (now(), 'a@example.org', 'view', 'html', 'casework.case',"
                " '1', '/cases/1/') RETURNING id"
            ).fetchone()
            assert entry
        # A table that a later migration creates, as the owner, is the
        # application's to read and write too.
        probe = sql.Identifier(roles["probe"])
        with _connect(roles["owner"], roles["owner_password"]) as owner:
            owner.execute(
                sql.SQL("CREATE TABLE {} (id serial PRIMARY KEY)").format(probe)
            )
        app.execute(sql.SQL("INSERT INTO {} DEFAULT VALUES").format(probe))
        count = app.execute(sql.SQL("SELECT count(*) FROM {}").format(probe))
        assert count.fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute(sql.SQL("TRUNCATE {}").format(probe))


def test_the_readme_shows_the_script_and_compose_runs_only_migrate_as_the_owner():
    import yaml

    assert SCRIPT.read_text() in (ROOT / "README.md").read_text()
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    owner_url = services["migrate"]["environment"]["DATABASE_URL"]
    assert owner_url.startswith("postgres://ehc:")
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith(
            "postgres://ehc_app:"
        )
    volumes = services["db"]["volumes"]
    assert any("postgres-init-roles.sh" in volume for volume in volumes)
    assert any("database-roles.sql" in volume for volume in volumes)
