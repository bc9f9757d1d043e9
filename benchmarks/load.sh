#!/usr/bin/env bash
# End-to-end throughput of the sample shop with Clerk tracking on and off (Clerk:Enabled=false), measured with wrk.
#   benchmarks/load.sh                 5 rounds of 10 s per scenario and setting
#   ROUNDS=3 DURATION=5s WARMUP=5s benchmarks/load.sh
# Two servers run side by side, one with tracking and one without, each warmed up first (tiered JIT needs many
# seconds under load to settle). The rounds then alternate between them, so both meet the same machine noise; an
# idle server takes no CPU. One wrk thread by default: on a 2-core machine a second one takes the server's CPU.
# Installs wrk from Debian's packages when it is missing. Prints requests/s and latency percentiles per run, then
# the median ratio tracking-on / tracking-off per scenario.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-5}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-1}"
PORT="${PORT:-5091}"
# name|path|Cookie header. wrk sends no cookies, so a visitor without one is undecided (the shop asks for consent) and
# runs cookieless; "returning" is a visitor who consented and has the visitor cookie.
SCENARIOS=(
  "product|/products/1005|"
  "product-returning|/products/1005|.AspNet.Consent=yes; clerk_visitor=AbC123xyZ0987654"
  "home|/|"
)

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)..." >&2
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi

dotnet build sample-shop -c Release --nologo -v q
results="$(mktemp)"
servers=()
stop() { for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done; }
trap stop EXIT

port_of() { [[ "$1" == true ]] && echo "$PORT" || echo $((PORT + 1)); }

start() {
  local port
  port="$(port_of "$1")"
  ASPNETCORE_ENVIRONMENT=Production Clerk__Enabled="$1" ConnectionStrings__Shop="Data Source=$(mktemp -d)/shop.db" \
    Logging__LogLevel__Default=Warning \
    dotnet sample-shop/bin/Release/net10.0/SampleShop.dll --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  servers+=($!)
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/products/1005" && return
    sleep 0.2
  done
  echo "The sample shop (Clerk:Enabled=$1) did not start on port $port." >&2
  exit 1
}

# run ENABLED SCENARIO DURATION: one wrk run; prints wrk's output.
run() {
  local page path cookie headers=()
  IFS='|' read -r page path cookie <<<"$2"
  [[ -n "$cookie" ]] && headers=(-H "Cookie: $cookie")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency "${headers[@]}" "http://127.0.0.1:$(port_of "$1")$path"
}

start true
start false
for enabled in true false; do
  for scenario in "${SCENARIOS[@]}"; do
    run "$enabled" "$scenario" "$WARMUP" >/dev/null
  done
done

for round in $(seq 1 "$ROUNDS"); do
  for scenario in "${SCENARIOS[@]}"; do
    page="${scenario%%|*}"
    for enabled in true false; do
      out="$(run "$enabled" "$scenario" "$DURATION")"
      rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
      p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
      p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
      printf 'round %s  tracking=%-5s  %-18s %10s req/s  p50 %8s  p99 %8s\n' "$round" "$enabled" "$page" "$rps" "$p50" "$p99"
      echo "$page $enabled $rps" >>"$results"
    done
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo
echo "Median requests/s, tracking on / off:"
for scenario in "${SCENARIOS[@]}"; do
  page="${scenario%%|*}"
  on="$(awk -v p="$page" '$1==p && $2=="true" {print $3}' "$results" | median)"
  off="$(awk -v p="$page" '$1==p && $2=="false" {print $3}' "$results" | median)"
  awk -v p="$page" -v on="$on" -v off="$off" 'BEGIN { printf "  %-18s on %10.1f  off %10.1f  ratio %.3f\n", p, on, off, on / off }'
done
