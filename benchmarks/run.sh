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
dotnet run -c Release --no-build -- "${filter[@]}" --inProcess "${mode[@]}" --artifacts ../../BenchmarkDotNet.Artifacts "$@"
