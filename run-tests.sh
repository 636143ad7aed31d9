#!/usr/bin/env bash
# The test command: set-up (idempotent), then lint, type check and the test suite.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --install-only
export PATH="$PWD/.venv/bin:$PATH"
echo "==> ruff" >&2
ruff check src tests benchmarks
echo "==> mypy --strict" >&2
mypy
echo "==> pytest" >&2
exec pytest "$@"
