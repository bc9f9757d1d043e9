#!/usr/bin/env bash
# The product feed end to end over loopback HTTP (docs/performance.md, "Data feeds"): a shop on Kestrel with
# MapClerkFeeds() over a generated catalog (made as it is read, like a database reader), and an importer in the same
# process that pages through it all, reading each page as a stream and checking that no product is missing or twice.
#   benchmarks/feeds.sh                                    100,000 products, pages of 1,000 and of 10,000, 3 runs each
#   benchmarks/feeds.sh --products 100000,1000000 --limit 1000 --runs 1
# Prints products/s per run and the process's peak working set before and after each run.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build benchmarks/Clerk.AspNetCore.Benchmarks -c Release --nologo -v q
cd benchmarks/Clerk.AspNetCore.Benchmarks
exec dotnet run -c Release --no-build -- feeds "$@"
