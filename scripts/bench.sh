#!/usr/bin/env bash
# The benchmark: `make bench SCALE=city5y` (SCALE small, city or city5y). Without
# DATABASE_URL it starts a throwaway PostgreSQL and Redis (as the tests do) and
# stops them afterwards. Prints one JSON report on standard output.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test >&2

PY=.venv/bin/python
EHC_SERVICES_NAME=bench
source scripts/throwaway-services.sh >&2

"$PY" -m bench.run --scale "${SCALE:-small}" "$@"
