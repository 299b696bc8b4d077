#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of every shipped library from what the code declares public today.
#
#   bash eng/update-public-api.sh            # all shipped libraries
#   bash eng/update-public-api.sh src/Dataphin.OpenApi.Bulk/Dataphin.OpenApi.Bulk.csproj   # one
#
# Run it after a change to the public surface (or after a merge): then review `git diff -- '*PublicAPI*.txt'`,
# which is the API change a reviewer should see. The Shipped files are not touched: at a release, move the
# Unshipped lines into Shipped by hand. An API that was shipped and has gone is written as *REMOVED*<line>.
#
# How: the Unshipped file is reset to its header, the project is rebuilt with the analyzer's findings as
# warnings, and every RS0016 ("not part of the declared public API") becomes a line; RS0017 about a shipped
# line becomes a *REMOVED* line. `dotnet format analyzers --diagnostics RS0016` finds the same diagnostics but
# applies no fix to these files (tried with the 10.0 SDK), hence the build. Lines that only some target
# frameworks have go to PublicAPI/<tfm>/PublicAPI.Unshipped.txt, which Directory.Build.targets adds for that
# framework.
set -euo pipefail
cd "$(dirname "$0")/.."

projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  projects=(
    src/Dataphin.OpenApi/Dataphin.OpenApi.csproj
    src/Dataphin.OpenApi.Bulk/Dataphin.OpenApi.Bulk.csproj
    src/Dataphin.OpenApi.OpenLineage/Dataphin.OpenApi.OpenLineage.csproj
    src/Dataphin.OpenApi.Testing/Dataphin.OpenApi.Testing.csproj
    src/Dataphin.OpenApi.Refit/Dataphin.OpenApi.Refit.csproj
  )
fi

header='#nullable enable'
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Reset first, all of them: a library's build also builds the libraries it references.
for project in "${projects[@]}"; do
  dir="$(dirname "$project")"
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '%s\n' "$header" > "$dir/PublicAPI.Shipped.txt"
  printf '%s\n' "$header" > "$dir/PublicAPI.Unshipped.txt"
  for file in "$dir"/PublicAPI/*/PublicAPI.Unshipped.txt; do
    [ -f "$file" ] && printf '%s\n' "$header" > "$file"
  done
done

for project in "${projects[@]}"; do
  dir="$(dirname "$project")"
  name="$(basename "$project")"
  echo "== $project"
  # The compiler runs again because PublicAPI.Unshipped.txt (one of its inputs) was just rewritten.
  dotnet build "$project" -nologo -clp:NoSummary -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= \
    > "$work/build.log" 2>&1 || { cat "$work/build.log"; echo "build failed: $project" >&2; exit 1; }

  # "<file>(l,c): warning RS0016: Symbol '<line>' is not part of the declared public API (...) [<dir>/<name>::TargetFramework=<tfm>]"
  grep -E "warning RS001[67]: .*\[[^]]*/$name(::TargetFramework=[^]]*)?\]$" "$work/build.log" \
    | sed -E "s/.*warning (RS001[67]): Symbol '(.*)' is (not part of|part of the declared API, but).*\[[^]]*\/$name(::TargetFramework=([^]]*))?\]$/\1|\5|\2/" \
    | sort -u > "$work/found" || true

  tfms="$(cut -d'|' -f2 "$work/found" | sort -u)"
  count="$(printf '%s\n' "$tfms" | grep -c . || true)"
  : > "$work/lines"
  for tfm in $tfms; do
    { grep -F "RS0016|$tfm|" "$work/found" | cut -d'|' -f3- || true
      grep -F "RS0017|$tfm|" "$work/found" | cut -d'|' -f3- | sed 's/^/*REMOVED*/' || true; } | LC_ALL=C sort -u > "$work/tfm-$tfm"
    cat "$work/tfm-$tfm" >> "$work/lines"
  done

  # Lines every framework reports go to the project's file; the others to the framework's own file.
  LC_ALL=C sort "$work/lines" | uniq -c | awk -v n="$count" '$1 == n { sub(/^ *[0-9]+ /, ""); print }' > "$work/common"
  { printf '%s\n' "$header"; cat "$work/common"; } > "$dir/PublicAPI.Unshipped.txt"
  for tfm in $tfms; do
    LC_ALL=C comm -23 "$work/tfm-$tfm" "$work/common" > "$work/only"
    if [ -s "$work/only" ]; then
      mkdir -p "$dir/PublicAPI/$tfm"
      [ -f "$dir/PublicAPI/$tfm/PublicAPI.Shipped.txt" ] || printf '%s\n' "$header" > "$dir/PublicAPI/$tfm/PublicAPI.Shipped.txt"
      { printf '%s\n' "$header"; cat "$work/only"; } > "$dir/PublicAPI/$tfm/PublicAPI.Unshipped.txt"
      echo "   $tfm only: $(wc -l < "$work/only") lines in $dir/PublicAPI/$tfm/PublicAPI.Unshipped.txt"
    fi
  done
  echo "   $(wc -l < "$work/common") lines in $dir/PublicAPI.Unshipped.txt"
done

# Prove the result: the same projects now build with warnings as errors.
for project in "${projects[@]}"; do
  dotnet build "$project" -nologo -clp:NoSummary -v q > "$work/build.log" 2>&1 \
    || { grep -E "error" "$work/build.log" | sort -u | head -40; echo "still failing: $project" >&2; exit 1; }
done
echo "public API files up to date; review: git diff -- '*PublicAPI*.txt'"
