#!/usr/bin/env bash
# Adds a migration with the same name to every provider's migrations project.
# Usage: scripts/add-migration.sh NameOfTheChange
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh NameOfTheChange}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite PostgreSql; do
  project=migrations/Recruiting.Migrations.$provider
  dotnet ef migrations add "$name" --project "$project" --startup-project "$project" --output-dir Migrations
done
