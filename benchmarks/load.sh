#!/usr/bin/env bash
# End-to-end throughput of the sample shop with Clerk tracking on and off (Clerk:Enabled=false), measured with wrk.
#   benchmarks/load.sh                 5 alternating rounds of 10 s per page and setting
#   ROUNDS=3 DURATION=5s benchmarks/load.sh
# One wrk thread by default: on a 2-core machine a second one takes the server's CPU and the numbers become noise.
# Installs wrk from Debian's packages when it is missing. Prints requests/s and latency percentiles per run, then
# the median ratio tracking-on / tracking-off per page.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-5}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-1}"
PORT="${PORT:-5091}"
PAGES=("/products/1005" "/")

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)..." >&2
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi

dotnet build sample-shop -c Release --nologo -v q
database="$(mktemp -d)/shop.db"
results="$(mktemp)"
server=""
stop() { [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true; server=""; }
trap stop EXIT

start() {
  ASPNETCORE_ENVIRONMENT=Production Clerk__Enabled="$1" ConnectionStrings__Shop="Data Source=$database" \
    Logging__LogLevel__Default=Warning \
    dotnet sample-shop/bin/Release/net10.0/SampleShop.dll --urls "http://127.0.0.1:$PORT" >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/products/1005" && break
    sleep 0.2
  done
  # Warm up: JIT, caches, connection pools.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "http://127.0.0.1:$PORT${PAGES[0]}" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "http://127.0.0.1:$PORT${PAGES[1]}" >/dev/null
}

for round in $(seq 1 "$ROUNDS"); do
  for enabled in true false; do
    start "$enabled"
    for page in "${PAGES[@]}"; do
      out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$page")"
      rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
      p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
      p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
      printf 'round %s  tracking=%-5s  %-16s %10s req/s  p50 %8s  p99 %8s\n' "$round" "$enabled" "$page" "$rps" "$p50" "$p99"
      echo "$page $enabled $rps" >>"$results"
    done
    stop
  done
done

echo
echo "Median requests/s, tracking on / off:"
for page in "${PAGES[@]}"; do
  on="$(awk -v p="$page" '$1==p && $2=="true" {print $3}' "$results" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
  off="$(awk -v p="$page" '$1==p && $2=="false" {print $3}' "$results" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
  awk -v p="$page" -v on="$on" -v off="$off" 'BEGIN { printf "  %-16s on %10.1f  off %10.1f  ratio %.3f\n", p, on, off, on / off }'
done
