#!/usr/bin/env bash
# Build GOV.UK Frontend from node_modules into static/ (served locally, no CDN):
# a stylesheet compiled from its Sass with only the components the service uses
# (assets/govuk-frontend.scss), its fonts and images, and its script. Neither file
# names a source map (none is served). collectstatic then hashes and compresses them
# (scripts/setup.sh; the test suite's conftest; the Dockerfile).
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules/govuk-frontend/dist/govuk
dest=static/govuk
[ -f "$src/govuk-frontend.min.js" ] || { echo "govuk-frontend is not installed: run npm ci" >&2; exit 1; }
[ -x node_modules/.bin/sass ] || { echo "sass is not installed: run npm ci" >&2; exit 1; }
rm -rf "$dest"
mkdir -p "$dest"
cp -R "$src/assets" "$dest/assets"
grep -v '^//# sourceMappingURL=' "$src/govuk-frontend.min.js" > "$dest/govuk-frontend.min.js"
# The minified script ends with its source map comment on the last line, after code.
sed -i 's#//\# sourceMappingURL=[^ ]*$##' "$dest/govuk-frontend.min.js"
node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
  --quiet-deps assets/govuk-frontend.scss "$dest/govuk-frontend.min.css"
