#!/usr/bin/env bash
# Delivery throughput to a Clerk emulator on a loopback port (docs/performance.md, "Outbox and web farm"):
#   benchmarks/throughput.sh                     3 alternating runs of: 20,000 sales through the PostgreSQL outbox,
#                                                20,000 through the in-memory outbox, 100,000 clicks through the
#                                                in-memory lane; a line per run and a median per scenario
#   benchmarks/throughput.sh --runs 5 --only postgres,memory --sales 50000 --concurrency 8 --batch 64
# Other options: --clicks N, --producers N (checkouts at once), --connections N (HttpClient), --timeout SECONDS,
# scenario sqlite. PostgreSQL: CLERK_BENCH_POSTGRES or CLERK_TEST_POSTGRES when set, else a throwaway server from
# scripts/postgres.sh (its own state file), stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build benchmarks/Clerk.AspNetCore.Benchmarks -c Release --nologo -v q
cd benchmarks/Clerk.AspNetCore.Benchmarks
exec dotnet run -c Release --no-build -- throughput "$@"
