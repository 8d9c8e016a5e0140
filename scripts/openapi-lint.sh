#!/usr/bin/env bash
# Lints the OpenAPI document the app serves, with Redocly's recommended rules (redocly.yaml), in the two shapes it takes:
# the development issuer (what `dotnet run` serves) and a tenant with Swagger UI's Auth0 login. Needs Node 20 (npx).
# Usage: bash scripts/openapi-lint.sh   (after a build: it runs bin/Debug/net10.0/MySecureApi.dll)
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
app_pid=""
cleanup() { [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

fetch() {  # fetch <name> <environment variables…>: start the app on a free loopback port, save its swagger.json
  local name=$1; shift
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  env -u AUTH0_DOMAIN -u AUTH0_AUDIENCE "$@" DevIssuer__KeyPath="$work/key.pem" Logging__LogLevel__Default=Warning \
    dotnet bin/Debug/net10.0/MySecureApi.dll --urls "http://127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fsS "http://127.0.0.1:$port/swagger/v1/swagger.json" -o "$work/$name.json"
  kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
}

fetch development-issuer ASPNETCORE_ENVIRONMENT=Development
fetch tenant ASPNETCORE_ENVIRONMENT=Production Swagger__Enabled=true AUTH0_DOMAIN=dev-abc123.us.auth0.com \
  AUTH0_AUDIENCE=https://api.example.com AUTH0_SWAGGER_CLIENT_ID=swagger-client
status=0
for name in development-issuer tenant; do
  # Redocly exits non-zero on errors only; a warning fails this lint too.
  npx -y @redocly/cli@2.77.0 lint "$work/$name.json" --config redocly.yaml --format=stylish >"$work/$name.lint" 2>&1 || status=1
  grep -E '^\s+[0-9]+:[0-9]+\s+(error|warning)' "$work/$name.lint" && status=1
  problems=$(grep -cE '^\s+[0-9]+:[0-9]+\s+(error|warning)' "$work/$name.lint" || true)
  echo "OpenAPI lint ($name): $problems problem(s)"
done
exit $status
