#!/usr/bin/env bash
# What share of the sample shop's request pipeline is Clerk's own code, from a sampling profile under load.
#   benchmarks/profile.sh                        product page, visitor without cookies (undecided: cookieless)
#   SCENARIO=product-returning benchmarks/profile.sh   product page, returning visitor who consented
#   SCENARIO=home benchmarks/profile.sh          home page
# Starts the shop in Release with tracking on, loads it with wrk (WARMUP seconds, then DURATION seconds while a trace is
# taken; "20" or "20s"), and
# samples it with dotnet-trace (installed into artifacts/tools when missing). Prints the inclusive share of Clerk's
# entry points (visitor resolution, each tag helper's rendering) and of the whole middleware pipeline.
# Throughput with tracking on and off (load.sh) cannot separate a few percent on a noisy VM; both shares here come
# from the same samples, so the machine's noise does not move their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIO="${SCENARIO:-product}"
WARMUP="${WARMUP:-20}"
WARMUP="${WARMUP%s}"
DURATION="${DURATION:-15}"
DURATION="${DURATION%s}"
PORT="${PORT:-5095}"
case "$SCENARIO" in
  product) path=/products/1005; headers=() ;;
  product-returning) path=/products/1005; headers=(-H "Cookie: .AspNet.Consent=yes; clerk_visitor=AbC123xyZ0987654") ;;
  home) path=/; headers=() ;;
  *) echo "SCENARIO=$SCENARIO is none of product, product-returning, home." >&2; exit 2 ;;
esac

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)..." >&2
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi
trace_tool="$(command -v dotnet-trace || true)"
if [[ -z "$trace_tool" ]]; then
  trace_tool=artifacts/tools/dotnet-trace
  [[ -x "$trace_tool" ]] || dotnet tool install dotnet-trace --tool-path artifacts/tools >/dev/null
fi

dotnet build sample-shop -c Release --nologo -v q
work="$(mktemp -d)"
# The shop runs on its built-in Clerk emulator: outside Development that needs ClerkEmulator__Enabled=true.
ASPNETCORE_ENVIRONMENT=Production ClerkEmulator__Enabled=true Clerk__Enabled=true ConnectionStrings__Shop="Data Source=$work/shop.db" \
  Logging__LogLevel__Default=Warning \
  dotnet sample-shop/bin/Release/net10.0/SampleShop.dll --urls "http://127.0.0.1:$PORT" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
started=false
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT$path" && { started=true; break; }
  sleep 0.2
done
[[ "$started" == true ]] || { echo "The sample shop did not start on port $PORT." >&2; exit 1; }

url="http://127.0.0.1:$PORT$path"
wrk -t1 -c16 -d"${WARMUP}s" "${headers[@]}" "$url" >/dev/null
# The load runs on until the trace is complete, however long the trace tool takes to start and stop.
wrk -t1 -c16 -d"$((DURATION + 60))s" "${headers[@]}" "$url" >"$work/wrk.txt" &
load=$!
sleep 2
"$trace_tool" collect -p "$server" --profile dotnet-sampled-thread-time \
  --duration "$(printf '%02d:%02d:%02d:%02d' $((DURATION / 86400)) $((DURATION % 86400 / 3600)) $((DURATION % 3600 / 60)) $((DURATION % 60)))" \
  -o "$work/trace.nettrace" >/dev/null
kill "$load" 2>/dev/null || true
# Percentages in the report follow the culture; the parsing below expects a decimal point.
LC_ALL=C DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
  "$trace_tool" report "$work/trace.nettrace" topN -n 5000 --inclusive >"$work/top.txt"

# dotnet-trace's report leaves out every frame whose name contains "Process", so a tag helper counts by its Render
# method, not by Process/ProcessAsync around it: the small wrapper work there is not in these shares.
# Lines look like "13.  ClerkTrackingMiddleware.InvokeAsync(class ...)   18.02%   0.01%". Each entry point is
# counted once, by its largest inclusive share, so that nested frames of one class are not added twice.
awk '
  function share(line) { match(line, /[0-9.]+%/); return substr(line, RSTART, RLENGTH - 1) + 0 }
  {
    name = $2
    if (name ~ /^ClerkTrackingMiddleware\.OnResponseStarting\(/) { part["visitor cookie (response)"] = share($0); next }
    # The outermost middleware has the largest share: the whole request pipeline.
    if (name ~ /^[A-Za-z]*Middleware(Impl)?[.+]/) { if (share($0) > pipeline) pipeline = share($0) }
    else if (name ~ /^VisitorResolver\.ResolveAsync\(/) { part["visitor resolution"] = share($0) }
    else if (name ~ /^Clerk[A-Za-z]*TagHelper\./) {
      split(name, n, ".")
      if (share($0) > part[n[1]]) part[n[1]] = share($0)
    }
  }
  END {
    if (pipeline == 0) { print "No samples in any middleware: was the shop under load?"; exit 1 }
    row = "  %-32s %6.2f%% of samples  %5.2f%% of the pipeline\n"
    for (p in part) { total += part[p]; printf row, p, part[p], 100 * part[p] / pipeline | "sort" }
    close("sort")
    printf row, "Clerk, together", total, 100 * total / pipeline
    printf "  %-32s %6.2f%% of samples\n", "the request pipeline", pipeline
  }' "$work/top.txt"
echo "  trace and report in $work"
