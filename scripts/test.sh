#!/usr/bin/env bash
# Run the whole test suite against the real llama-server and model (installs them first).
# Extra arguments go to pytest, e.g. scripts/test.sh tests/test_supervisor.py -x
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test || exit $?
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  rc=0
fi
exit "$rc"
