#!/usr/bin/env bash
# Export recently changed production workflows as prod_sync_ migrations: create-history-migration.sh [name].
# Thin wrapper for teams that call shell entry points; all flags pass through.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# A bare name means "this workflow"; no argument means "every workflow changed recently".
if [ $# -ge 1 ] && [[ "$1" != -* ]]; then
  name=$1
  shift
  exec npx --no-install tsx scripts/export-prod.ts --name "$name" "$@"
fi
exec npx --no-install tsx scripts/export-prod.ts "$@"
