#!/usr/bin/env bash
# Mutation testing, two ways (see docs/development.md, "Mutation testing"):
#   bash scripts/mutation.sh [--only ID,…] [--full]   scripted mutants of Infrastructure/Auth and the error/CORS paths:
#                                                     patch, build, run that concern's tests, revert — in a copy of the
#                                                     tree; report in artifacts/mutation/report.md (~20 min on 2 cores)
#   bash scripts/mutation.sh --stryker [GLOB]         Stryker.NET 5.1.0 (.config/dotnet-tools.json) over GLOB
#                                                     (default **/Infrastructure/Auth/**/*.cs), HTML and markdown reports
#                                                     in artifacts/mutation/stryker; with this test platform every mutant
#                                                     runs the whole suite (~1 min each), so give it hours
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--stryker" ]; then
  exec python3 scripts/mutation.py "$@"
fi
glob="${2:-**/Infrastructure/Auth/**/*.cs}"
dotnet tool restore >/dev/null
mkdir -p artifacts/mutation
config=$(mktemp)
cat >"$config" <<JSON
{ "stryker-config": { "project": "MySecureApi.csproj", "test-runner": "mtp", "coverage-analysis": "off",
  "mutate": ["$glob"], "reporters": ["html", "markdown", "cleartext"], "concurrency": 2 } }
JSON
cd Tests
dotnet stryker -f "$config" -O ../artifacts/mutation/stryker --skip-version-check
