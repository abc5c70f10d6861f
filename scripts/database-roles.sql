-- The application's own PostgreSQL role (README.md, "Database roles").
-- Run once, as a superuser, connected to the application's database:
--   psql -d early_help -v owner=ehc -v app=ehc_app -v app_password='...' \
--        -f scripts/database-roles.sql
-- The owner role owns the tables and runs `manage.py migrate`. The web, worker
-- and beat processes connect as the app role, which reads and writes rows and
-- nothing more: no TRUNCATE, and no table of its own, so it cannot drop or
-- disable the triggers that keep the access log and the purge stubs
-- append-only.
CREATE ROLE :"app" LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
GRANT USAGE ON SCHEMA public TO :"app";
-- The tables there already ...
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
-- ... and those that later migrations create.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app";
