#!/usr/bin/env bash
# Runs the BenchmarkDotNet suite of Clerk.AspNetCore.
#   benchmarks/run.sh            full run, real numbers (several minutes); results in BenchmarkDotNet.Artifacts/
#   benchmarks/run.sh --ci       every benchmark once (BenchmarkDotNet's Dry job): proves they still work, in CI
#   benchmarks/run.sh --filter '*Middleware*'   any BenchmarkDotNet arguments after the mode
# Benchmarks run in process: the NuGet mirror here cannot restore the projects BenchmarkDotNet would generate.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=(--iterationCount 15 --warmupCount 5)
if [[ "${1:-}" == "--ci" ]]; then
  mode=(--job Dry)
  shift
fi
filter=(--filter '*')
if [[ " $* " == *" --filter "* ]]; then
  filter=()
fi

dotnet build benchmarks/Clerk.AspNetCore.Benchmarks -c Release --nologo -v q
cd benchmarks/Clerk.AspNetCore.Benchmarks
if [[ "${mode[*]}" != "--job Dry" ]]; then
  exec dotnet run -c Release --no-build -- "${filter[@]}" --inProcess "${mode[@]}" --artifacts ../../BenchmarkDotNet.Artifacts "$@"
fi

# In CI a benchmark whose setup throws (a view that no longer renders what Clerk renders, say) must fail the run:
# BenchmarkDotNet shows it as NA in the summary and still exits with 0. (NA alone is no sign: the Dry job's single
# iteration has no error column.)
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet run -c Release --no-build -- "${filter[@]}" --inProcess "${mode[@]}" --artifacts ../../BenchmarkDotNet.Artifacts "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if grep -qE 'Exception has been thrown by the target of an invocation|^(System|Microsoft)\.[A-Za-z.]+Exception: ' "$log"; then
  echo "run.sh: a benchmark threw (BenchmarkDotNet shows it as NA); the first error:" >&2
  grep -m1 -A3 -E '^ ---> |^System\.[A-Za-z.]*Exception' "$log" >&2 || true
  exit 1
fi
exit "$status"
