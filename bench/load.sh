#!/usr/bin/env bash
# Saturation load on GET /api/private with valid tokens mixed with invalid ones (3 valid : 1 invalid), on loopback,
# bounded in time. Reports requests/s, the status counts (anything but 200 and 401 is unexpected) and the server's
# RSS after warm-up and after the run.
# Usage: bash bench/load.sh [seconds=60] [connections=16]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-60}"
connections="${2:-16}"

source bench/dev-app.sh

# Tokens from the development issuer: they take the same validation path as Auth0's.
valid=()
for i in 1 2 3 4 5 6; do valid+=("$(dotnet "$dll" token --sub "load|user-$i")"); done
expired="$(dotnet "$dll" token --expires 1s)"
sleep 32   # past the 30 s clock tolerance
tampered="${valid[0]%?}A"
[ "$tampered" != "${valid[0]}" ] || tampered="${valid[0]%?}B"

start_app

{
  echo 'headers = {'
  for t in "${valid[@]}"; do printf '  "Bearer %s", "Bearer %s", "Bearer %s",\n' "$t" "$t" "$t"; done
  printf '  "Bearer %s", "Bearer %s", "Bearer %s", "Bearer %s", "Bearer not-a-jwt", "Bearer a.b.c",\n' "$expired" "$tampered" "$expired" "$tampered"
  echo '}'
  cat <<'LUA'
counter = 0
statuses = {}
threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function request()
  counter = counter + 1
  return wrk.format("GET", "/api/private", { ["Authorization"] = headers[(counter % #headers) + 1] })
end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
  end
  local unexpected = 0
  for status, count in pairs(total) do
    io.write(string.format("status %d: %d\n", status, count))
    if status ~= 200 and status ~= 401 then unexpected = unexpected + count end
  end
  io.write(string.format("unexpected statuses: %d\n", unexpected))
  io.write(string.format("latency p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
} >"$work/mix.lua"

rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$app_pid/status"; }

wrk -t2 -c"$connections" -d15s -s "$work/mix.lua" "http://127.0.0.1:$port" >/dev/null   # warm-up (JIT tiering, GC heaps)
rss_before=$(rss)
echo "load: ${duration}s, ${connections} connections, GET /api/private, 18 valid : 6 invalid tokens per 24 requests"
( while sleep 10; do printf '%s ' "$(rss)"; done ) >"$work/rss.txt" 2>/dev/null &
sampler=$!
wrk -t2 -c"$connections" -d"${duration}s" -s "$work/mix.lua" "http://127.0.0.1:$port" | tee "$work/wrk.txt"
kill "$sampler" 2>/dev/null || true
rss_after=$(rss)
echo "RSS after warm-up: ${rss_before} MB, every 10 s: $(cat "$work/rss.txt")MB, after the run: ${rss_after} MB"
grep -q '^unexpected statuses: 0$' "$work/wrk.txt" || { echo "FAIL: unexpected statuses" >&2; exit 1; }
