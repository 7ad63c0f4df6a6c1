#!/usr/bin/env bash
# Create or reuse .venv at the project root and install the pinned dependencies plus xxgk itself.
# Sourced by scripts/run-sample and scripts/test; safe to run again (a stamp skips a no-op install).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DO_NOT_TRACK=1 GX_ANALYTICS_ENABLED=False DBT_SEND_ANONYMOUS_USAGE_STATS=False
export PIP_DISABLE_PIP_VERSION_CHECK=1
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($python --version)" >&2
  "$python" -m venv .venv
fi
stamp=.venv/.xxgk-installed
want="$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-64)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing pinned dependencies (requirements.lock)" >&2
  .venv/bin/python -m pip install --quiet -r requirements.lock
  .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
fi
