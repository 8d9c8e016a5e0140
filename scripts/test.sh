#!/usr/bin/env bash
# Sets up what the tests need on a fresh machine, then runs them: dotnet test [extra dotnet test arguments].
# Needs: the .NET 10 SDK, Node 20 + npm; installs Debian's chromium (headless browser check), redis-server,
# postgresql and prometheus (the shared-state, database and metrics tests start their own instances on 127.0.0.1 and
# free ports, and stop them) when missing; builds the app in Release (the graceful-shutdown test runs that build).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/prometheus ] || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  # The packages may start system-wide servers (6379, 5432); the tests use their own.
  $sudo systemctl stop redis-server postgresql prometheus >/dev/null 2>&1 || true
  pkill -x prometheus >/dev/null 2>&1 || true
fi

if [ ! -d Tests/browser/node_modules/playwright-core ] || [ ! -d Tests/browser/node_modules/oidc-provider ]; then
  (cd Tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet build -c Release -v q -nologo MySecureApi.csproj >/dev/null

exec dotnet test "$@"
