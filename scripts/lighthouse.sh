#!/usr/bin/env bash
# Lighthouse (performance, accessibility, best practices) on six pages of a running
# demo (`make run`), with Debian's Chromium: the public start page, a question of the
# family's journey, sign-in, the Erdington triage queue, a case page and the
# scorecard. Signed-in pages are opened with a session made for a demo sign-in
# (Django's test client against the demo's database), sent as a Cookie header.
#   scripts/lighthouse.sh                  against http://127.0.0.1:8000
#   BASE_URL=http://127.0.0.1:8011 scripts/lighthouse.sh
#   PRESET=desktop scripts/lighthouse.sh   desktop instead of Lighthouse's phone
# Reports go to $OUT (default var/lighthouse/): one JSON and one HTML per page.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BASE_URL:-http://127.0.0.1:8000}
out=${OUT:-var/lighthouse}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
mkdir -p "$out"

# One line per page: name, path, session cookie (or "-" when signed out).
pages=$(
  env -u DATABASE_URL -u REDIS_URL DEBUG=1 HOST="${base#*://}" .venv/bin/python manage.py shell --no-imports -v 0 -c '
import os
from django.conf import settings
from django.test import Client
from accounts.models import User
from casework.models import Case

host = os.environ["HOST"].split(":")[0]

def session_of(email):
    client = Client(HTTP_HOST=host)
    client.force_login(User.objects.get(email=email))
    return client.cookies[settings.SESSION_COOKIE_NAME].value

# The public journey, started: its first question.
family = Client(HTTP_HOST=host)
family.get("/family-connect/")
question = family.post("/family-connect/")["Location"]
manager = session_of("manager.erdington@demo.example")
case = Case.objects.filter(locality__slug="erdington").order_by("pk").first()
lines = [
    ("start", "/family-connect/", "-"),
    ("question", question, family.cookies[settings.SESSION_COOKIE_NAME].value),
    ("sign-in", "/sign-in/", "-"),
    ("triage-queue", "/triage/erdington/", manager),
    ("case", f"/cases/{case.pk}/", manager),
    ("scorecard", "/scorecard/", session_of("performance@demo.example")),
]
for line in lines:
    print(*line, sep="\t")
' 2>"$out/sessions.log"
) || { cat "$out/sessions.log" >&2; exit 1; }

printf '%-14s %12s %14s %15s\n' page performance accessibility best-practices
while IFS=$'\t' read -r name path session; do
  headers='{}'
  [ "$session" != - ] && headers="{\"Cookie\": \"sessionid=$session\"}"
  node_modules/.bin/lighthouse "$base$path" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    --only-categories=performance,accessibility,best-practices \
    ${PRESET:+--preset="$PRESET"} --extra-headers="$headers" \
    --output=json --output=html --output-path="$out/$name" >/dev/null
  node -e '
const r = require(process.argv[1]);
const s = (c) => Math.round(r.categories[c].score * 100);
const failed = Object.values(r.audits)
  .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual" && a.scoreDisplayMode !== "notApplicable")
  .map((a) => a.id);
console.log(process.argv[2].padEnd(14), String(s("performance")).padStart(12),
  String(s("accessibility")).padStart(14), String(s("best-practices")).padStart(15),
  r.finalDisplayedUrl === process.argv[3] ? "" : " (ended at " + r.finalDisplayedUrl + ")");
if (process.env.VERBOSE) console.log("   below full marks:", failed.join(", "));
' "$(realpath "$out/$name.report.json")" "$name" "$base$path"
done <<< "$pages"
