#!/usr/bin/env bash
# Runs one row of commands.txt and checks it: the exit code, the message on stderr,
# no sanitizer report, no NaN or infinity printed, done within 60 s.
#
#   command_row.sh SOURCE_DIR BUILD_DIR ID
set -euo pipefail
SRC="$1" BUILD="$2" ID="$3"
TABLE="$(dirname "${BASH_SOURCE[0]}")/commands.txt"

row="$(grep -E "^$ID *\|" "$TABLE")" || { echo "no row $ID in $TABLE"; exit 1; }
IFS='|' read -r _ command code expected <<<"$row"
trim() { sed -E 's/^ +//; s/ +$//' <<<"$1"; }
command="$(trim "$command")" code="$(trim "$code")" expected="$(trim "$expected")"

out="$(mktemp)" err="$(mktemp)"
trap 'rm -f "$out" "$err"' EXIT
rc=0
(cd "$SRC" && PATH="$BUILD/bin:$PATH" WORKBOOK_BUILD_DIR="$BUILD" timeout -k 5 60 bash -c "$command") \
    >"$out" 2>"$err" </dev/null || rc=$?
printf '$ %s   (exit %s)\n--- stderr:\n%s\n--- stdout (first lines):\n%s\n---\n' \
    "$command" "$rc" "$(cat "$err")" "$(head -n 5 "$out")"

failed=0
fail() { echo "FAILED: $*"; failed=1; }
[ "$rc" != 124 ] && [ "$rc" != 137 ] || fail "it did not finish within 60 s"
[ "$rc" = "$code" ] || fail "expected exit code $code, got $rc"
grep -qF -- "$expected" "$err" || fail "expected on stderr: $expected"
! grep -qE '^(==[0-9]+==)?ERROR: (Address|Leak)Sanitizer|runtime error:' "$err" || fail "a sanitizer report"
! grep -qiwE 'nan|inf' "$out" || fail "a NaN or an infinity on stdout"
exit $failed
