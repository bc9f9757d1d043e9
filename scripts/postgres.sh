#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and the web-farm script, on a free loopback port.
#
#   scripts/postgres.sh start   installs Debian's postgresql when missing, initdb's a temporary data directory,
#                               starts the server and prints its connection string (the last line on stdout)
#   scripts/postgres.sh env     prints `export CLERK_TEST_POSTGRES=…` (and PG_* details) for the running server,
#                               for `eval "$(scripts/postgres.sh env)"`
#   scripts/postgres.sh stop    stops it and deletes its data directory; harmless when nothing runs
#
# The state lives in a file, artifacts/postgres/state.env by default; set CLERK_PG_STATE to another path to run a
# second, independent server (scripts/web-farm.sh does).
#
# FOR TESTS ONLY: the server trusts every connection from 127.0.0.1 without a password, and runs with fsync=off,
# synchronous_commit=off and full_page_writes=off, which lose data on a crash. Never point it at data you keep.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
state_file="${CLERK_PG_STATE:-$repo_root/artifacts/postgres/state.env}"
marker=".clerk-test-postgres"

log() { echo "postgres.sh: $*" >&2; }
die() {
  log "$*"
  exit 1
}

# The newest installed server's binaries: Debian keeps them in /usr/lib/postgresql/<version>/bin, off PATH.
find_bin() {
  local dir
  # Highest version first (a numeric sort: 10 after 9). An unmatched glob stays literal and fails the -x test.
  printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k4,4nr | while read -r dir; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      break
    fi
  done
}

install_postgres() {
  local sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "PostgreSQL is not installed and sudo is missing: install Debian's postgresql package (apt-get install postgresql)."
    sudo_cmd=(sudo)
  fi
  log "installing Debian's postgresql package (apt-get)..."
  "${sudo_cmd[@]}" apt-get update -qq >&2 ||
    die "apt-get update failed; install Debian's postgresql package by hand, or set CLERK_TEST_POSTGRES to a server's connection string."
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq postgresql >&2 ||
    die "apt-get install postgresql failed; install it by hand, or set CLERK_TEST_POSTGRES to a server's connection string."
}

# initdb and postgres refuse to run as root: as root, run them as the postgres user the package created.
as_pg() {
  if [ "$(id -u)" -ne 0 ]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port
  for port in $(seq 15432 15999); do
    if ! ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
      echo "$port"
      return
    fi
  done
  die "no free loopback port between 15432 and 15999"
}

read_state() {
  [ -f "$state_file" ] || return 1
  # Our own file, written below: NAME=value lines, values quoted with printf %q.
  # shellcheck disable=SC1090
  . "$state_file"
}

is_running() {
  [ -n "${PG_BIN:-}" ] && [ -d "${PG_DATA:-}" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

print_env() {
  printf 'export CLERK_TEST_POSTGRES=%q\n' "$CLERK_TEST_POSTGRES"
  printf 'export PG_PORT=%q PG_PID=%q PG_DATA=%q PG_SOCKET_DIR=%q\n' "$PG_PORT" "$PG_PID" "$PG_DATA" "$PG_DIR"
}

cleanup_dir() {
  local dir="$1"
  # Only ever delete a directory this script created (it holds the marker file).
  if [ -n "$dir" ] && [ -f "$dir/$marker" ]; then
    rm -rf -- "$dir"
  fi
}

cmd_start() {
  if read_state && is_running; then
    log "already running on port $PG_PORT (state: $state_file)"
    echo "$CLERK_TEST_POSTGRES"
    return
  fi
  [ -f "$state_file" ] && cmd_stop

  local bin
  bin="$(find_bin)"
  if [ -z "$bin" ]; then
    install_postgres
    bin="$(find_bin)"
    [ -n "$bin" ] || die "postgresql is installed but no initdb was found under /usr/lib/postgresql/*/bin."
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    die "running as root, but there is no postgres user to run the server as (Debian's postgresql package creates it)."
  fi

  local started=$SECONDS dir port attempt
  dir="$(mktemp -d "${TMPDIR:-/tmp}/clerk-pg.XXXXXX")"
  touch "$dir/$marker"
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
  trap 'cleanup_dir "$dir"' ERR

  as_pg "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C --no-sync --auth=trust >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; cleanup_dir "$dir"; die "initdb failed (log above)."; }

  # Trust only loopback TCP and the unix socket, whose directory (inside $dir, mode 0700) only the owner can enter.
  as_pg sh -c "cat > '$dir/data/pg_hba.conf'" <<'EOF'
local all all trust
host all all 127.0.0.1/32 trust
EOF

  for attempt in 1 2 3; do
    port="$(free_port)"
    # Speed over durability: a test server is thrown away, so nothing needs to survive a crash.
    as_pg sh -c "cat > '$dir/data/postgresql.auto.conf'" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null 2>&1; then
      break
    fi
    # The port may have been taken between choosing and binding it: try another.
    [ "$attempt" -eq 3 ] && { tail -n 20 "$dir/postgres.log" >&2 || true; cleanup_dir "$dir"; die "the server did not start (log above)."; }
  done
  trap - ERR

  PG_BIN="$bin" PG_DIR="$dir" PG_DATA="$dir/data" PG_PORT="$port"
  PG_PID="$(head -n 1 "$dir/data/postmaster.pid")"
  CLERK_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  mkdir -p "$(dirname "$state_file")"
  {
    printf 'PG_BIN=%q\nPG_DIR=%q\nPG_DATA=%q\nPG_PORT=%q\nPG_PID=%q\n' "$PG_BIN" "$PG_DIR" "$PG_DATA" "$PG_PORT" "$PG_PID"
    printf 'CLERK_TEST_POSTGRES=%q\n' "$CLERK_TEST_POSTGRES"
  } >"$state_file"
  log "PostgreSQL $("$bin/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$port (pid $PG_PID, data $PG_DATA) in $((SECONDS - started)) s; state: $state_file"
  echo "$CLERK_TEST_POSTGRES"
}

cmd_stop() {
  if ! read_state; then
    log "nothing to stop (no $state_file)"
    return
  fi
  if is_running; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 || log "pg_ctl stop failed; removing the data directory anyway"
  fi
  cleanup_dir "${PG_DIR:-}"
  rm -f -- "$state_file"
  log "stopped (port ${PG_PORT:-?})"
}

cmd_env() {
  read_state && is_running || die "not running (no live server in $state_file); run: scripts/postgres.sh start"
  print_env
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  *)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
