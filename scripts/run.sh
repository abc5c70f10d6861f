#!/usr/bin/env bash
# The demo: SQLite, tasks in-process, e-mail to the console, demo sign-ins,
# served on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
# The demo mode, not DEBUG: pages, the not-found and error pages included, are
# the service's own (DEBUG=1 make run shows Django's debugging pages instead).
export DEMO=1
export DEBUG=${DEBUG:-0}
export TWO_FACTOR_REQUIRED=${TWO_FACTOR_REQUIRED:-0}
unset DATABASE_URL REDIS_URL CELERY_BROKER_URL
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py demo_users
# About 2,000 families' episodes over the last year, once (a minute or two).
.venv/bin/python manage.py seed_demo --scale small --seed 1 --if-empty \
  --output "${TMPDIR:-/tmp}/early-help-demo-small.jsonl"
exec .venv/bin/python manage.py runserver "${ADDRESS:-127.0.0.1:8000}"
