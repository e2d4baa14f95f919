#!/usr/bin/env bash
# Install (if needed) and run llama-nb on its default model.
#   scripts/run.sh                 JupyterLab with the extension, opening the quickstart notebook
#   scripts/run.sh ask "question"  one answer in the terminal
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
if [ "${1:-}" = "ask" ] || [ "${1:-}" = "doctor" ] || [ "${1:-}" = "status" ]; then
  exec .venv/bin/llama-nb "$@"
fi
root_flag=()
[ "$(id -u)" = "0" ] && root_flag=(--allow-root)  # containers and CI machines often run as root
exec .venv/bin/jupyter lab --LlamaNBExtension.autostart=True "${root_flag[@]}" notebooks/quickstart.ipynb "$@"
