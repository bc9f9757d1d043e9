#!/usr/bin/env bash
# Runs the sample shop as a web farm on this machine: three instances on free loopback ports, one database and ONE
# Clerk emulator that all three talk to, as three servers behind a load balancer would share Clerk.
#
#   scripts/web-farm.sh           build, start, print the URLs; Ctrl-C stops everything
#   scripts/web-farm.sh --check   build, start, request / on each instance, print OK and stop (a smoke test)
#
# The database: ConnectionStrings__Shop when given; otherwise a throwaway PostgreSQL (scripts/postgres.sh, with its
# own state file, stopped at the end). The shop keeps Clerk's shared state (the day's cookieless salt, the sale
# ledger, the outbox of sales) and its data protection keys in that database, so the three agree.
# The emulator: instance 1 hosts it (ClerkEmulator__Enabled=true); instances 2 and 3 use it through
# ClerkEmulator__Url. The instances run in the environment ASPNETCORE_ENVIRONMENT names (Production by default), opted
# in to the emulator. Logs: artifacts/web-farm/instance-<n>.log.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo_root"

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  *)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac

log_dir="$repo_root/artifacts/web-farm"
out="sample-shop/bin/Release/net10.0"
mkdir -p "$log_dir"

log() { echo "web-farm: $*" >&2; }

pids=()
pg_started=""
cleanup() {
  local pid
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  [ ${#pids[@]} -gt 0 ] && log "stopped the ${#pids[@]} instance(s)"
  if [ -n "$pg_started" ]; then
    bash scripts/postgres.sh stop || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Three distinct free loopback ports, taken together so none is chosen twice.
free_ports() {
  python3 -c '
import socket
sockets = [socket.socket() for _ in range(3)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))
for s in sockets: s.close()'
}

# The HTTP status of a GET, or 000 when nothing answers.
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$1" || true; }

wait_healthy() {
  local n="$1" pid="$2" url="$3" deadline=$((SECONDS + 90))
  # Any answer from /health means the instance is up (Degraded or Unhealthy still answer).
  until [ "$(status_of "$url/health")" != "000" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log_dir/instance-$n.log" >&2 || true
      log "instance $n exited while starting (log above: $log_dir/instance-$n.log)"
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$log_dir/instance-$n.log" >&2 || true
      log "instance $n did not answer $url/health within 90 s"
      exit 1
    fi
    sleep 0.5
  done
}

start_instance() {
  local n="$1" port="$2"
  shift 2
  # From sample-shop/, as `dotnet run` does, so the content root (wwwroot, App_Data) is the project's.
  (
    cd sample-shop
    exec env "$@" dotnet "bin/Release/net10.0/SampleShop.dll" --urls "http://127.0.0.1:$port"
  ) >"$log_dir/instance-$n.log" 2>&1 &
  pids+=("$!")
}

log "building the sample shop (Release)..."
if ! dotnet build -c Release sample-shop --nologo -v q >"$log_dir/build.log" 2>&1; then
  tail -n 30 "$log_dir/build.log" >&2
  log "the build failed (log above: $log_dir/build.log)"
  exit 1
fi

connection="${ConnectionStrings__Shop:-}"
if [ -z "$connection" ]; then
  export CLERK_PG_STATE="$repo_root/artifacts/postgres/web-farm.env"
  connection="$(bash scripts/postgres.sh start)"
  pg_started=1
fi

read -r port1 port2 port3 < <(free_ports)
ports=("$port1" "$port2" "$port3")
emulator="http://127.0.0.1:$port1/clerk-emulator"
common=(ClerkEmulator__Enabled=true "ConnectionStrings__Shop=$connection")

# Instance 1 first: it creates and seeds the database and hosts the emulator the others need.
start_instance 1 "$port1" "${common[@]}"
wait_healthy 1 "${pids[0]}" "http://127.0.0.1:$port1"
start_instance 2 "$port2" "${common[@]}" "ClerkEmulator__Url=$emulator"
start_instance 3 "$port3" "${common[@]}" "ClerkEmulator__Url=$emulator"
wait_healthy 2 "${pids[1]}" "http://127.0.0.1:$port2"
wait_healthy 3 "${pids[2]}" "http://127.0.0.1:$port3"

echo "Web farm: three sample-shop instances, one database, one Clerk emulator"
for n in 1 2 3; do
  echo "  instance $n:  http://127.0.0.1:${ports[$((n - 1))]}/"
done
echo "  emulator inspector:  $emulator/   (hosted by instance 1; calls from all three)"
echo "  database:  $connection"
echo "  logs:  $log_dir/instance-{1,2,3}.log"

if [ "$check" -eq 1 ]; then
  failed=0
  for n in 1 2 3; do
    url="http://127.0.0.1:${ports[$((n - 1))]}/"
    page="$(curl -s --max-time 30 "$url" || true)"
    code="$(status_of "$url")"
    if [ "$code" != "200" ]; then
      log "instance $n: GET / answered $code"
      failed=1
    elif [ "$n" -gt 1 ] && ! grep -qF "$emulator/clerk.js" <<<"$page"; then
      log "instance $n: its page does not load Clerk.js from the shared emulator ($emulator/clerk.js)"
      failed=1
    fi
  done
  if [ "$failed" -ne 0 ]; then
    log "check FAILED"
    exit 1
  fi
  echo "OK: all three instances answer GET / with 200, instances 2 and 3 on instance 1's emulator"
  exit 0
fi

echo "Ctrl-C stops the three instances$([ -n "$pg_started" ] && echo " and PostgreSQL")."
# Until Ctrl-C, or until an instance dies (then everything stops, as a farm missing a node is not what was asked for).
wait -n "${pids[@]}" || true
log "an instance exited; see $log_dir/instance-*.log"
exit 1
