# shellcheck shell=bash
# The driver tests' assertions, sourced by student_loop.sh and new_lesson.sh.
# wb ARGS... runs ./workbook in the copy of the repository at $SESSION_REPO: its
# output in OUT, its exit code in RC (printed, so a failing test shows the session).

fail() {
    printf 'FAILED: %s\n' "$*"
    [ -n "${OUT:-}" ] && printf -- '--- the output was:\n%s\n---\n' "$OUT"
    exit 1
}
wb() {
    RC=0
    OUT="$(cd "$SESSION_REPO" && ./workbook "$@" 2>&1)" || RC=$?
    printf '$ ./workbook %s   (exit %s)\n%s\n' "$*" "$RC" "$OUT"
}
has() { grep -Eq -- "$1" <<<"$OUT" || fail "expected a line matching /$1/ ($2)"; }
lacks() { ! grep -Eq -- "$1" <<<"$OUT" || fail "expected no line matching /$1/ ($2)"; }
exit_is() { [ "$RC" = "$1" ] || fail "expected exit code $1, got $RC ($2)"; }
same() { cmp -s "$1" "$2" || fail "$3: $1 and $2 differ"; }
