#!/usr/bin/env bash
# Bytes allocated per request on the hot paths — a deterministic figure where CPU time on a shared machine is not.
# Runs the Release build on loopback with the development issuer, warms each route up, then drives it with wrk for
# a few seconds while dotnet-counters samples System.Runtime's dotnet.gc.heap.total_allocated.
# Usage: bash bench/allocations.sh [seconds=4]     (installs dotnet-counters as a global tool if it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-4}"

counters="$HOME/.dotnet/tools/dotnet-counters"
[ -x "$counters" ] || dotnet tool install -g dotnet-counters --version 10.0.750501 >/dev/null

source bench/dev-app.sh

token="$(dotnet "$dll" token)"
scoped="$(dotnet "$dll" token --scope read:messages)"
admin="$(dotnet "$dll" token --scope admin:access --claim role=admin)"
start_app

drive() {  # drive <seconds> <path> [token] -> number of requests
  local header=()
  [ -n "${3:-}" ] && header=(-H "Authorization: Bearer $3")
  wrk -t2 -c16 -d"$1"s "${header[@]}" "http://127.0.0.1:$port$2" | awk '/requests in/ {print $1}'
}

printf '%-40s %12s %10s\n' "route" "requests" "B/request"
for scenario in "/api/public|" "/api/private|$token" "/api/admin|$admin" "/api/messages|$scoped" "/api/private (invalid signature)|${token%?????}AAAAA"; do
  name="${scenario%%|*}"; bearer="${scenario#*|}"; path="${name%% *}"
  drive 5 "$path" "$bearer" >/dev/null   # warm-up: JIT tiers, caches
  "$counters" collect -p "$app_pid" --counters System.Runtime --refresh-interval 1 --format csv \
    -o "$work/counters.csv" --duration "00:00:$(printf '%02d' $((duration + 3)))" >/dev/null 2>&1 &
  collector=$!
  sleep 1
  requests=$(drive "$duration" "$path" "$bearer")
  wait "$collector" || true
  bytes=$(awk -F, '$3 ~ /gc.heap.total_allocated/ {sum += $5} END {printf "%.0f", sum}' "$work/counters.csv")
  printf '%-40s %12s %10s\n' "$name" "$requests" "$(( bytes / requests ))"
done
