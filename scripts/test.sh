#!/usr/bin/env bash
# Sets up what the tests need on a fresh machine, then runs them: dotnet test [extra dotnet test arguments].
# Needs: the .NET 10 SDK, Node 20 + npm; installs Debian's chromium (headless browser check) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

if [ ! -d Tests/browser/node_modules/playwright-core ]; then
  (cd Tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

exec dotnet test "$@"
