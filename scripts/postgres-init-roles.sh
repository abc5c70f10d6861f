#!/bin/sh
# Runs once, when the database volume is first created (the postgres image's
# /docker-entrypoint-initdb.d): makes the application's own role with
# scripts/database-roles.sql. POSTGRES_USER owns the tables and runs migrate.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v owner="$POSTGRES_USER" -v app=ehc_app -v app_password="$APP_DATABASE_PASSWORD" \
    -f /ehc/database-roles.sql
