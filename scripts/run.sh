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
# The working day over that history: plans, notes, teams, directories, the demo
# sign-ins' cases, sign-offs, an audit round, partner figures (once).
.venv/bin/python manage.py demo_enrich --seed 1 --if-empty
# The scorecard and the audit report of the last 12 months, so the dashboard
# shows trends and directions of travel at once (once).
last_month=$(.venv/bin/python -c 'import datetime as d; t=d.date.today().replace(day=1)-d.timedelta(days=1); print(t.strftime("%Y-%m"))')
if [ "$(.venv/bin/python manage.py shell -c 'from scorecard.models import Release; print(Release.objects.exists())' 2>/dev/null | tail -1)" != True ]; then
  .venv/bin/python manage.py run_scorecard --period "$last_month" --months 12 >/dev/null
  .venv/bin/python manage.py run_audit_report --period "$last_month" --months 12 >/dev/null
fi
exec .venv/bin/python manage.py runserver "${ADDRESS:-127.0.0.1:8000}"
