#!/usr/bin/env bash
# The test command: installs what the tests need (Debian packages, a virtual
# environment with the project and its test extras), starts a throw-away
# PostgreSQL server on 127.0.0.1, then runs the linters and the whole suite
# against SQLite and PostgreSQL. Safe to run again; needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium chromium-driver)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
ldconfig -p | grep -q libpango-1.0 || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
# Arabic quotes in PDF reports are drawn with Noto Sans Arabic (tests check the PDF's fonts)
fc-list 2>/dev/null | grep -qi "Noto Sans Arabic" || need_apt+=(fonts-noto-core)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e '.[test,build]'

# shellcheck source=/dev/null
source .ci/pg_start.sh
trap '"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl" -D "$CRISISDESK_TEST_PG_DIR/data" stop -m fast >/dev/null 2>&1 || runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl" -D "$CRISISDESK_TEST_PG_DIR/data" stop -m fast >/dev/null 2>&1 || true' EXIT

echo "== ruff"
"$VENV/bin/ruff" check src tests scripts benchmarks
"$VENV/bin/ruff" format --check src tests scripts benchmarks
echo "== import layers"
"$VENV/bin/lint-imports"
echo "== pytest"
"$VENV/bin/pytest" --db-url "$CRISISDESK_TEST_PG_URL" "$@"
