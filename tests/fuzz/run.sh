#!/usr/bin/env bash
# Fuzzes the parsers of outside input with libFuzzer (see tests/fuzz/README.md).
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]    SECONDS per target (600); all five targets
#                                              (words vocabulary embeddings flags reference)
#
# Installs clang and libFuzzer if missing, builds the "fuzz" preset (build/fuzz),
# runs each target in turn at the lowest priority, one job, then prints for each:
# executions, executions per second, coverage (libFuzzer's cov: and ft:) and findings.
# Work corpora:  build/fuzz/corpus/TARGET/   (seeded from tests/fuzz/corpus and regressions)
# Findings:      build/fuzz/findings/TARGET/ (crash-*, timeout-*, oom-*, leak-*)
# Logs:          build/fuzz/logs/TARGET.log
# Exit status 1 when any target has a finding. Not part of CI or `./workbook test`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/fuzz"
BUILD="$ROOT/build/fuzz"
SECONDS_PER_TARGET="${1:-600}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(words vocabulary embeddings flags reference)
[[ "$SECONDS_PER_TARGET" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: SECONDS must be a whole number above 0, not '$SECONDS_PER_TARGET'" >&2; exit 2; }

# Debian packages: clang 14 with its runtime libraries (libclang-rt-14-dev holds
# libclang_rt.fuzzer), and what the parsers are built with.
PACKAGES=(clang libclang-rt-14-dev cmake ninja-build libfmt-dev libcli11-dev)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "run.sh: installing ${missing[*]}"
    sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cd "$ROOT"
[ -f "$BUILD/build.ninja" ] || nice -n 19 cmake --preset fuzz >/dev/null
nice -n 19 cmake --build --preset fuzz -j1

mkdir -p "$BUILD/logs"
declare -A summary
status=0
for t in "${TARGETS[@]}"; do
    exe="$BUILD/tests/fuzz/fuzz_$t"
    [ -x "$exe" ] || { echo "run.sh: no fuzz target '$t' (have: words vocabulary embeddings flags reference)" >&2; exit 2; }
    corpus="$BUILD/corpus/$t" findings="$BUILD/findings/$t" log="$BUILD/logs/$t.log"
    mkdir -p "$corpus" "$findings"
    cp -n "$HERE/corpus/$t"/* "$corpus/"
    [ -d "$HERE/regressions/$t" ] && cp -n "$HERE/regressions/$t"/* "$corpus/"
    dict=()
    [ -f "$HERE/dict/$t.dict" ] && dict=(-dict="$HERE/dict/$t.dict")
    echo "run.sh: fuzzing $t for $SECONDS_PER_TARGET s (log: ${log#"$ROOT"/})"
    # The work corpus grows in build/; tests/fuzz/corpus holds only the small seeds.
    nice -n 19 "$exe" "$corpus" "${dict[@]}" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 \
        -timeout=5 -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1 || true
    stats="$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 || true)"
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
    cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$stats")"
    ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$stats")"
    n_findings="$(find "$findings" -type f | wc -l)"
    [ "$n_findings" -gt 0 ] && status=1
    summary[$t]="$(printf '%-11s %12s %9s %7s %7s %9s' "$t" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$n_findings")"
    echo "${summary[$t]}"
    if [ "$n_findings" -gt 0 ]; then
        grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz finding|.*runtime error)' "$log" | head -n 5 || true
        find "$findings" -type f | sed 's/^/    /'
    fi
done

echo
printf '%-11s %12s %9s %7s %7s %9s\n' target executions exec/s cov ft findings
for t in "${TARGETS[@]}"; do echo "${summary[$t]}"; done
[ $status -eq 0 ] || echo "findings in $BUILD/findings/: reproduce with build/fuzz/tests/fuzz/fuzz_TARGET FILE, fix, then keep the file in tests/fuzz/regressions/TARGET/"
exit $status
