# Sourced by the loopback load scripts (load.sh, allocations.sh): a Release build of the app on a free loopback port
# with the development issuer (key in a temporary directory) and rate limiting off (one client address: measure
# validation, not the limiter). Provides $work, $dll, $port and start_app; cleans up on exit.
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

work=$(mktemp -d)
app_pid=""
cleanup() { [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet build -c Release -v q -nologo MySecureApi.csproj >/dev/null
dll=bin/Release/net10.0/MySecureApi.dll
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export ASPNETCORE_ENVIRONMENT=Development DevIssuer__KeyPath="$work/key.pem" Database__SqlitePath="$work/messages.db" Logging__LogLevel__Default=Warning
export RateLimiting__Enabled=false
unset AUTH0_DOMAIN

start_app() {
  dotnet "$dll" --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
}
