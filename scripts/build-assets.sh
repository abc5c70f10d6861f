#!/usr/bin/env bash
# Copy GOV.UK Frontend from node_modules into static/ (served locally, no CDN).
# Its stylesheet refers to /assets/...; point that at where the files are served.
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules/govuk-frontend/dist/govuk
dest=static/govuk
[ -f "$src/govuk-frontend.min.css" ] || { echo "govuk-frontend is not installed: run npm ci" >&2; exit 1; }
rm -rf "$dest"
mkdir -p "$dest"
cp -R "$src/assets" "$dest/assets"
cp "$src/govuk-frontend.min.js" "$dest/"
sed 's#url(/assets/#url(/static/govuk/assets/#g' "$src/govuk-frontend.min.css" > "$dest/govuk-frontend.min.css"
