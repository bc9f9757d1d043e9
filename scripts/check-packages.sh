#!/usr/bin/env bash
# Packs every package in src/ and checks what a NuGet user would get:
#   - the assembly and its XML docs, the package's own README.md and the LICENSE;
#   - the license expression, the repository and project URLs, and the README in the .nuspec;
#   - no file from the tests, the sample shop or the whole repository's README.
# Prints one line per package and exits non-zero on the first problem. CI (.ci/run) runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${PACKAGES_DIR:-$PWD/artifacts/packages}"
rm -rf "$out"
mkdir -p "$out"
failed=0

# A .nupkg is a zip; python3 reads it on any machine of this kind (unzip may be missing).
zip_list() { python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"; }
zip_read() { python3 -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$1" "$2"; }

fail() {
  echo "check-packages: $1" >&2
  failed=1
}

for project in src/*/*.csproj; do
  id="$(basename "$project" .csproj)"
  if ! dotnet pack "$project" -c Release -o "$out" --nologo -v q >"$out/$id.pack.log" 2>&1; then
    fail "dotnet pack $project failed; see $out/$id.pack.log"
    tail -n 20 "$out/$id.pack.log" >&2
    continue
  fi

  package="$(ls "$out/$id".[0-9]*.nupkg 2>/dev/null | grep -v '\.symbols\.' | head -n 1 || true)"
  if [ -z "$package" ]; then
    fail "$id: no .nupkg in $out"
    continue
  fi

  files="$(zip_list "$package")"
  for expected in "lib/net10.0/$id.dll" "lib/net10.0/$id.xml" "README.md" "LICENSE"; do
    grep -qx "$expected" <<<"$files" || fail "$id: $expected is missing from $(basename "$package")"
  done
  if grep -Eq '(^|/)(tests?|sample-shop)/' <<<"$files"; then
    fail "$id: the package contains files from tests or the sample shop"
  fi

  nuspec="$(zip_read "$package" "$id.nuspec")"
  for expected in '<license type="expression">MIT</license>' '<readme>README.md</readme>' '<repository type="git" url="' '<projectUrl>'; do
    grep -qF "$expected" <<<"$nuspec" || fail "$id: the .nuspec has no $expected"
  done

  readme="$(zip_read "$package" README.md)"
  if grep -q '^## Repository layout' <<<"$readme"; then
    fail "$id: README.md is the repository's README; each package packs its own short README"
  fi
  grep -q '#readme' <<<"$readme" || fail "$id: README.md does not link to the repository's README"

  echo "check-packages: $(basename "$package") ok ($(wc -l <<<"$files") files)"
done

exit "$failed"
