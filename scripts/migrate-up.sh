#!/usr/bin/env bash
# Apply pending migrations: migrate-up.sh.
# Thin wrapper for teams that call shell entry points; all flags pass through. Runs the
# compiled entry (npm ci builds it) because this runs on every start; tsx when it is not built.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -f dist/migrate-up.mjs ]; then
  exec node dist/migrate-up.mjs "$@"
fi
exec npx --no-install tsx scripts/migrate-up.ts "$@"
