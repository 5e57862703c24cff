#!/usr/bin/env bash
# Apply pending migrations (PRD: migrate-up.sh).
# Thin wrapper for teams that call the PRD's shell entry points; all flags pass through.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec npx --no-install tsx scripts/migrate-up.ts "$@"
