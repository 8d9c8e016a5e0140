#!/usr/bin/env bash
# A/B of two builds on one route: bash bench/ab.sh <MySecureApi.dll A> <MySecureApi.dll B> [path=/api/public] [rounds=3]
# Starts both (Production, rate limiting off, an unreachable issuer: for anonymous routes), warms them up, then
# alternates 10 s of wrk -t2 -c16 on each and prints requests per CPU-second of each server process per round.
# For a regression check between commits: build each in its own worktree (dotnet build -c Release) and pass both dlls.
set -euo pipefail
a=$1 b=$2 path=${3:-/api/public} rounds=${4:-3}
start() {
  ASPNETCORE_ENVIRONMENT=Production AUTH0_DOMAIN=localhost:1 AUTH0_AUDIENCE=https://ab.test RateLimiting__Enabled=false \
    Logging__LogLevel__Default=Error Database__SqlitePath="$(mktemp -d)/ab.db" dotnet "$1" --urls "http://127.0.0.1:$2" >/dev/null 2>&1 &
  echo $!
}
port_a=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
port_b=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
pid_a=$(start "$a" "$port_a")
pid_b=$(start "$b" "$port_b")
trap 'kill $pid_a $pid_b 2>/dev/null || true' EXIT
sleep 6
for port in $port_a $port_b; do wrk -t2 -c16 -d3s "http://127.0.0.1:$port$path" >/dev/null; done
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
for round in $(seq 1 "$rounds"); do
  for side in "A $pid_a $port_a" "B $pid_b $port_b"; do
    set -- $side
    before=$(cpu "$2"); out=$(wrk -t2 -c16 -d10s "http://127.0.0.1:$3$path"); after=$(cpu "$2")
    requests=$(awk '/requests in/{print $1}' <<<"$out")
    ticks=$(getconf CLK_TCK)
    echo "$1 round $round: $(python3 -c "print(round($requests / (($after - $before) / $ticks)))") req per CPU-s, $(awk '/Requests\/sec/{print $2}' <<<"$out") req/s"
  done
done
