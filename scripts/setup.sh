#!/usr/bin/env bash
# Set-up from a fresh clone: uv (from PyPI when missing), then both locked
# environments (the pipeline's and Superset's). `sunshine demo` and the tests create
# the state they run on themselves. Idempotent: a second run takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v uv >/dev/null 2>&1; then
    echo "set-up: installing uv from PyPI"
    python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
    export PATH="$HOME/.local/bin:$PATH"
fi
command -v uv >/dev/null 2>&1 || { echo "error: uv is not on PATH after installing it; add ~/.local/bin to PATH" >&2; exit 1; }

started=$(date +%s)
uv sync --frozen --quiet
echo "set-up: pipeline environment ready ($(( $(date +%s) - started )) s)"
.venv/bin/sunshine setup --environments-only
