#!/usr/bin/env bash
# The whole test suite. Without DATABASE_URL it starts a throwaway PostgreSQL (and,
# without REDIS_URL, a throwaway Redis) on loopback in a temporary directory, and
# stops them by PID afterwards, also on failure. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test

PY=.venv/bin/python
source scripts/throwaway-services.sh

export SECRET_KEY=${SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')}

echo "== ruff"
"$PY" -m ruff check .
"$PY" -m ruff format --check .
echo "== mypy"
DEBUG=1 "$PY" -m mypy .
echo "== import layers (.importlinter)"
.venv/bin/lint-imports --no-cache
echo "== migrations"
DEBUG=0 "$PY" manage.py makemigrations --check --dry-run
echo "== check --deploy (production settings)"
env DEBUG=0 ALLOWED_HOSTS=early-help.example.org SECURE_SSL_REDIRECT=1 \
  SESSION_COOKIE_SECURE=1 CSRF_COOKIE_SECURE=1 \
  "$PY" manage.py check --deploy --fail-level WARNING
echo "== pytest"
"$PY" -m pytest "$@"
