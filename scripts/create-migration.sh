#!/usr/bin/env bash
# Export local workflows to migration files: create-migration.sh "Workflow Name".
# Thin wrapper for teams that call shell entry points; all flags pass through.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec npx --no-install tsx scripts/export.ts "$@"
