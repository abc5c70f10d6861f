#!/usr/bin/env bash
# Set up a machine for Early Help Connect: system packages (when root on
# Debian/Ubuntu; otherwise prints the apt-get line), the Python virtualenv and the
# npm packages, then builds GOV.UK Frontend into static/ and collects the static
# files (hashed and compressed) into staticfiles/.
#   scripts/setup.sh run    what the demo needs
#   scripts/setup.sh test   also PostgreSQL, Redis, Chromium and poppler for the tests
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (found: $("$python" --version 2>&1))." >&2
  exit 1
fi

# --- System packages ---------------------------------------------------------------
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
if [ "$mode" = test ]; then
  # Noto covers Urdu (Arabic script) in browser screenshots.
  packages+=(postgresql redis-server chromium poppler-utils fonts-noto-core)
fi
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Another apt-get (an unattended upgrade at boot) may hold the lock: wait.
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  else
    echo "Missing system packages. Install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    [ "$mode" = test ] && exit 1
  fi
fi

# --- Python ------------------------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# --- Front end ---------------------------------------------------------------------
lock_stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f "$lock_stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$lock_stamp"
fi
scripts/build-assets.sh
# Hashed names and compressed copies, served by WhiteNoise in every mode. Only what
# changed is compressed again, so a second run takes seconds.
DEBUG=1 .venv/bin/python manage.py collectstatic --no-input -v 0

# --- Translations ------------------------------------------------------------------
# The catalogues (locale/*/LC_MESSAGES/django.po) are in the repository; the
# compiled .mo files are built here.
DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules >/dev/null
