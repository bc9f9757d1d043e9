#!/usr/bin/env bash
# Runs every test of the repository on a fresh Debian machine with the .NET SDK.
# Installs what the tests need, starts a throwaway PostgreSQL (unless CLERK_TEST_POSTGRES names one), builds, runs
# all test projects, stops PostgreSQL, and ends with one line:
#   N passed, N failed[, N skipped]
set -uo pipefail
cd "$(dirname "$0")"

log_dir="${TEST_RESULTS_DIR:-$PWD/artifacts/test-results}"
mkdir -p "$log_dir"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (dotnet, see global.json) is required and was not found on PATH." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# Packages some tests need, from Debian's repositories, installed only when missing:
# chromium for the browser tests (Playwright drives Debian's chromium; it never downloads a browser).
need_apt=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]} from Debian's packages..."
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  if ! { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null; }; then
    echo "test.sh: could not install ${need_apt[*]}; the browser tests will fail." >&2
  fi
fi

# PostgreSQL for the tests of the EF Core stores: a throwaway server on a free loopback port (scripts/postgres.sh:
# Debian's postgresql, installed when missing; initdb into a temporary directory), unless CLERK_TEST_POSTGRES already
# holds a connection string. Stopped, and its data deleted, at the end, also when a test fails or on Ctrl-C.
pg_failed=0
pg_running=""
stop_postgres() {
  if [ -n "$pg_running" ]; then
    pg_running=""
    bash scripts/postgres.sh stop || true
  fi
}
if [ -z "${CLERK_TEST_POSTGRES:-}" ]; then
  # Its own state file, so a web farm's server (scripts/web-farm.sh) running meanwhile is left alone.
  export CLERK_PG_STATE="$PWD/artifacts/postgres/test.env"
  trap stop_postgres EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if CLERK_TEST_POSTGRES="$(bash scripts/postgres.sh start)"; then
    pg_running=1
    export CLERK_TEST_POSTGRES
  else
    echo "test.sh: could not start PostgreSQL (see above), so this run fails; the PostgreSQL tests fail with their own message." >&2
    echo "test.sh: set CLERK_TEST_POSTGRES to a server's connection string (Host=…;Port=…;Username=…;Database=…) to use another." >&2
    unset CLERK_TEST_POSTGRES
    pg_failed=1
  fi
fi

output="$log_dir/dotnet-test.log"
run_stamp="$log_dir/.run-started"
touch "$run_stamp"
# A .trx file per test project in the results folder keeps each failure's message and stack trace (the console
# output, kept short, names the failed tests only).
dotnet test Clerk.AspNetCore.sln --nologo --verbosity quiet --results-directory "$log_dir" --logger "trx" "$@" 2>&1 | tee "$output"
status=${PIPESTATUS[0]}
# Stopped before the summary, so the summary stays the last line.
stop_postgres

# dotnet test prints one summary per test project, e.g.
#   Passed!  - Failed:     0, Passed:    42, Skipped:     0, Total:    42, Duration: ...
read -r passed failed skipped < <(
  grep -E '^(Passed|Failed)! +- Failed: ' "$output" | sed -E 's/[^0-9]+/ /g' |
    awk '{ f += $1; p += $2; s += $3 } END { printf "%d %d %d\n", p, f, s }')

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before any test could report: count it as a failure.
  failed=1
fi

# A PostgreSQL that could not start is one more failure, even if no test needed it.
failed=$((failed + pg_failed))
[ "$pg_failed" -ne 0 ] && status=1

# Why each test failed, read from this run's .trx files: CI shows only the tail of the log.
if [ "$failed" -gt 0 ]; then
  bash scripts/test-failures.sh "$log_dir" "$run_stamp"
fi

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
