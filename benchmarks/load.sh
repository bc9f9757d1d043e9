#!/usr/bin/env bash
# End-to-end throughput of the sample shop with Clerk tracking on and off (Clerk:Enabled=false), measured with wrk.
#   benchmarks/load.sh                 5 rounds of 10 s per scenario and setting
#   ROUNDS=3 DURATION=5s WARMUP=5s benchmarks/load.sh
#   ONLY=product,product-returning benchmarks/load.sh   some scenarios only
# Two servers run side by side, one with tracking and one without, each warmed up first (tiered JIT needs many
# seconds under load to settle). The rounds then alternate between them, so both meet the same machine noise; an
# idle server takes no CPU. One wrk thread by default: on a 2-core machine a second one takes the server's CPU.
# Installs wrk from Debian's packages when it is missing. Prints, per run, requests/s, latency percentiles and the
# server's CPU time per request (from /proc), then per scenario the median ratio tracking-on / tracking-off and each
# round's ratio.
#   AA=1 benchmarks/load.sh            calibration: both servers without tracking, so every ratio is the noise
#                                      floor of this machine, against which a tracking-on / off ratio can be read
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
if [[ -n "${ONLY:-}" ]]; then
  selected=()
  for scenario in "${SCENARIOS[@]}"; do
    [[ ",$ONLY," == *",${scenario%%|*},"* ]] && selected+=("$scenario")
  done
  ((${#selected[@]})) || { echo "ONLY=$ONLY names no scenario (product, product-returning, home)." >&2; exit 2; }
  SCENARIOS=("${selected[@]}")
fi

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)..." >&2
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi

dotnet build sample-shop -c Release --nologo -v q
results="$(mktemp)"
servers=()
declare -A server_pid
stop() { for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done; }
trap stop EXIT

# The "tracking on" server's setting: off too in an A/A calibration.
tracking_setting() { [[ "$1" == true && -z "${AA:-}" ]] && echo true || echo false; }

port_of() { [[ "$1" == true ]] && echo "$PORT" || echo $((PORT + 1)); }

# The shop runs on its built-in Clerk emulator: outside Development that needs ClerkEmulator__Enabled=true.
start() {
  local port
  port="$(port_of "$1")"
  ASPNETCORE_ENVIRONMENT=Production ClerkEmulator__Enabled=true Clerk__Enabled="$(tracking_setting "$1")" ConnectionStrings__Shop="Data Source=$(mktemp -d)/shop.db" \
    Logging__LogLevel__Default=Warning \
    dotnet sample-shop/bin/Release/net10.0/SampleShop.dll --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  servers+=($!)
  server_pid[$1]=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/products/1005" && return
    sleep 0.2
  done
  echo "The sample shop (Clerk:Enabled=$(tracking_setting "$1")) did not start on port $port." >&2
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

# cpu_ticks ENABLED: user + system CPU time of that server so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/${server_pid[$1]}/stat"; }
tick_us="$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN {print 1000000 / hz}')"

for round in $(seq 1 "$ROUNDS"); do
  # On, off in odd rounds and off, on in even ones, so that a drift in the machine's speed favours neither.
  order=(true false)
  ((round % 2 == 0)) && order=(false true)
  for scenario in "${SCENARIOS[@]}"; do
    page="${scenario%%|*}"
    for enabled in "${order[@]}"; do
      before="$(cpu_ticks "$enabled")"
      out="$(run "$enabled" "$scenario" "$DURATION")"
      after="$(cpu_ticks "$enabled")"
      rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
      requests="$(awk '/requests in/ {print $1}' <<<"$out")"
      cpu_us="$(awk -v t=$((after - before)) -v us="$tick_us" -v n="$requests" 'BEGIN {printf "%.1f", t * us / n}')"
      p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
      p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
      label="tracking=$enabled"
      [[ -n "${AA:-}" ]] && label="server $([[ "$enabled" == true ]] && echo A || echo B)"
      printf 'round %s  %-14s  %-18s %10s req/s  p50 %8s  p99 %8s  CPU %7s µs/request\n' \
        "$round" "$label" "$page" "$rps" "$p50" "$p99" "$cpu_us"
      echo "$round $page $enabled $rps $cpu_us" >>"$results"
    done
  done
done


median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo
[[ -n "${AA:-}" ]] && echo "A/A calibration: both servers run without tracking, so these ratios are noise alone."
echo "Medians over $ROUNDS rounds, tracking on / off (A / B in a calibration):"
for scenario in "${SCENARIOS[@]}"; do
  page="${scenario%%|*}"
  on="$(awk -v p="$page" '$2==p && $3=="true" {print $4}' "$results" | median)"
  off="$(awk -v p="$page" '$2==p && $3=="false" {print $4}' "$results" | median)"
  cpu_on="$(awk -v p="$page" '$2==p && $3=="true" {print $5}' "$results" | median)"
  cpu_off="$(awk -v p="$page" '$2==p && $3=="false" {print $5}' "$results" | median)"
  # Each round's own ratios, whose spread shows how far one round can be trusted.
  rounds="$(awk -v p="$page" '$2==p {v[$1, $3] = $4; r[$1] = 1}
    END {for (k in r) printf "%s %.3f\n", k, v[k, "true"] / v[k, "false"]}' "$results" | sort -n | awk '{print $2}')"
  printf '  %-18s requests/s on %8.1f  off %8.1f  ratio %.3f  (per round %s)\n' \
    "$page" "$on" "$off" "$(awk -v a="$on" -v b="$off" 'BEGIN {printf "%.3f", a / b}')" "$(paste -sd' ' <<<"$rounds")"
  printf '  %-18s server CPU per request on %6.1f µs  off %6.1f µs\n' "" "$cpu_on" "$cpu_off"
done
