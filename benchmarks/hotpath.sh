#!/usr/bin/env bash
# The request hot path against its baselines, as numbers a noisy machine cannot fake (docs/performance.md, "Middleware,
# per request"): MiddlewareBenchmarks' hot-path rows run N times (3 by default); every row is a difference from, and a
# ratio to, its category's baseline measured in the same run, reported as the median over the runs with the range;
# each baseline's identical twin gives the run's noise. Checks issue 20's budgets. About 2–3 minutes per run here.
#   benchmarks/hotpath.sh              3 runs
#   benchmarks/hotpath.sh --runs 5
# The table is printed and written to BenchmarkDotNet.Artifacts/hotpath-report.md.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build benchmarks/Clerk.AspNetCore.Benchmarks -c Release --nologo -v q
cd benchmarks/Clerk.AspNetCore.Benchmarks
exec dotnet run -c Release --no-build -- hotpath --output ../../BenchmarkDotNet.Artifacts/hotpath-report.md "$@"
