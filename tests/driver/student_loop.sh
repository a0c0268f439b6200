#!/usr/bin/env bash
# A scripted student session with ./workbook, on a copy of the repository (never on
# lessons/ itself): list, check, graded hints, watch turning 9.1 from TODO to FAIL
# to PASS, a compile error, a crash and an endless loop reported in a few lines,
# reset with its backups, and interrupts of reset and watch that leave the
# student's file intact.
#
#   student_loop.sh SOURCE_DIR SESSION_DIR BUILD_DIR
#
# SESSION_DIR is where tests/CMakeLists.txt points its driver_session_check target:
# the copy's lesson 09 file linked with lesson 09's exercise suite, so the session
# compiles one file per check in the existing build tree instead of all of lib/.
set -euo pipefail
set -m  # background jobs get their own process group: the test can "press Ctrl-C" on them

SRC="$1" S="$2" BUILD="$3"
F=lessons/09_mixture_of_experts/exercises.cpp
export WORKBOOK_BUILD_DIR="$BUILD" WORKBOOK_CHECK_TARGET=driver_session_check WORKBOOK_MINE_TARGET=driver_session_mine
export WORKBOOK_WATCH_INTERVAL=0.2  # polls where inotifywait is missing
# git must see the session's own history, never the repository around the build tree
GIT_CEILING_DIRECTORIES="$(dirname "$S")"
export GIT_CEILING_DIRECTORIES
unset WORKBOOK_TEST_PAUSE WORKBOOK_CHECK_TIMEOUT

step() { printf '\n=== %s\n' "$*"; }
SESSION_REPO="$S"
# shellcheck source=tests/driver/assert.sh
source "$(dirname "${BASH_SOURCE[0]}")/assert.sh"
# edit EXERCISE CODE: replaces exercise EXERCISE's throw line with CODE, saved as an
# editor does (a new file renamed over the old one).
edit() {
    sed "s|^\( *\)throw wb::NotImplemented(\"$1\".*|\1$2|" "$S/$F" >"$S/$F.new"
    grep -qF -- "$2" "$S/$F.new" || fail "the test could not edit exercise $1 (no stub left?)"
    mv "$S/$F.new" "$S/$F"
}
# until_in FILE PATTERN SECONDS: waits until FILE has a line matching PATTERN.
until_in() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -Eq -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    OUT="$(cat "$1" 2>/dev/null)"
    fail "waited $3 s for /$2/ in $1"
}

step "a copy of the repository with the untouched stubs, committed"
rm -rf "$S"
mkdir -p "$S/tests" "$S/solutions"
cp "$SRC/workbook" "$S/"
cp -r "$SRC/lessons" "$S/"
rm -rf "$S"/lessons/*/backups
cp -r "$SRC/tests/exercises" "$S/tests/"
cp -r "$SRC/solutions/09_mixture_of_experts" "$S/solutions/"
if ! grep -q 'throw wb::NotImplemented("9.3"' "$S/$F"; then
    # the real lessons/ holds someone's answers: take the stubs from git
    git -C "$SRC" show "HEAD:$F" >"$S/$F" 2>/dev/null || { echo "no untouched lesson 09 stubs to start from"; exit 77; }
fi
cp "$S/$F" "$S/stubs.cpp"
git -C "$S" init -q
git -C "$S" add -A
git -C "$S" -c user.name=test -c user.email=test@example.org commit -q -m "the course"

step "list before any check: every exercise not checked yet"
wb list
exit_is 0 "list"
has '^  09  Mixture of experts' "lesson 09 listed"
has '^ +9\.1 +not checked yet +top-k routing' "9.1 not checked yet"
has '^ +1\.1 +not checked yet ' "lesson 01 not checked yet"
has '^Next: exercise 1\.1 of lesson 01' "nothing checked: start at the beginning"

step "check the stubs: TODO, remembered by list"
wb check 09
exit_is 1 "stubs do not pass"
has '^  9\.1 .* TODO$' "9.1 TODO"
has '^  9\.3 .* TODO$' "9.3 TODO"
has '^0 of 3 exercises pass\.$' "count"
wb list
has '^ +9\.2 +not yet \(TODO\) +the load-balancing loss$' "9.2 not yet"
has '^        0 of 3 done, checked ' "lesson 09 summary"
has '^ +1\.1 +not checked yet ' "lesson 01 still not checked"
has '^Next: exercise 9\.1 of lesson 09' "next is the first exercise of the lesson started"

step "run --mine with the stubs: the book's walkthrough, each exercise's step saying TODO"
wb run 09 --mine --no-plots
exit_is 0 "the walkthrough runs"
has "^>> yours, 9\.1 top_k_routing: still a TODO$" "9.1's step says TODO"
has "^>> yours, 9\.2 load_balancing_loss: still a TODO; the numbers below are the book's$" "9.2's too, with the book's numbers"
has '^9\.3 +within_capacity +TODO \(2 of 2 steps\)$' "the closing table"
book_loss="$(grep -m 1 '^loss: ' "$S/lessons/09_mixture_of_experts/expected_output.txt")"
grep -Fxq -- "$book_loss" <<<"$OUT" || fail "the book's numbers ($book_loss) in place of the TODO's"

step "graded hints: a nudge first, then more, per exercise"
wb hint 09 9.1
exit_is 0 "hint"
has '^Hint 1 of 3:$' "first call: hint 1"
has 'Work row by row' "hint 1's text"
lacks '^Hint 2' "only hint 1"
wb hint 09 9.1
has '^Hint 2 of 3:$' "second call: hint 2"
has 'Sort the expert numbers' "hint 2's text"
lacks '^Hint 1 ' "only hint 2"
wb hint 09 9.2
has '^Hint 1 of 3:$' "another exercise starts at its own hint 1"
wb hint 09
has '^\(Exercise 9\.1 is the first not passing' "no exercise named: the next one to do"
has '^Hint 3 of 3:$' "9.1's third hint"
wb hint 09 9.1 --all
has '^Hint 1 of 3:$' "--all: hint 1"
has '^Hint 3 of 3:$' "--all: hint 3"
wb hint 09 9.9
exit_is 1 "no such exercise"
has "There is no exercise '9\.9'" "says so"

step "watch: a wrong answer turns 9.1 from TODO to FAIL with the assertion, the solution to PASS"
(cd "$S" && exec ./workbook watch 09 --rounds 3) >"$S/watch.out" 2>&1 &
watcher=$!
until_in "$S/watch.out" '^0 of 3 exercises pass\.$' 60
edit 9.1 'return Route{std::vector<std::size_t>(probs.size(0) * k, 0), Tensor(wb::Shape{probs.size(0), k})};'
until_in "$S/watch.out" '9\.1 top-k routing with renormalised weights: TODO -> FAIL$' 60
until_in "$S/watch.out" '^\[.*\] 0 of 3 exercises pass\.$' 30
# the solution's 9.1, with the headers it needs
awk 'FNR == NR { if (/^Route top_k_routing/) keep = 1; if (keep) body = body $0 "\n"; if (keep && /^}$/) keep = 0; next }
     /^Route top_k_routing/ { printf "%s", body; skip = 1; next }
     skip { if (/^}$/) skip = 0; next }
     { print }
     /^#include "exercises.hpp"$/ { print "#include <algorithm>"; print "#include <numeric>" }' \
    "$S/solutions/09_mixture_of_experts/exercises.cpp" "$S/$F" >"$S/$F.new"
mv "$S/$F.new" "$S/$F"
until_in "$S/watch.out" '9\.1 top-k routing with renormalised weights: FAIL -> PASS$' 60
RC=0
wait "$watcher" || RC=$?
OUT="$(cat "$S/watch.out")"
printf '$ ./workbook watch 09 --rounds 3   (exit %s)\n%s\n' "$RC" "$OUT"
exit_is 0 "watch stops after its rounds"
has '^        experts for the probabilities of ex_route0 ' "the FAIL names the assertion"
has 'should be \{[0-9, ]+\} \(torch\.topk, row by row\); got \{0, 0, 0' "with the expected and the returned values"
has '^\[.*\] 1 of 3 exercises pass\.$' "the last round's count"
lacks '^\[.*\] 9\.[23] ' "9.2 and 9.3 did not change, so watch does not mention them"
[ "$(grep -c 'TODO$' <<<"$OUT")" = 3 ] || fail "only the first round prints the whole table"
wb list
has '^ +9\.1 +done +top-k routing' "list remembers watch's last check"

step "run --mine: the solved 9.1 is the book's, a wrong 9.2 shows where it parts from the book"
cp "$S/$F" "$S/before-mine.cpp"
edit 9.2 'return 0.5f;'
wb run 09 --mine --no-plots
exit_is 0 "the walkthrough runs"
has "^>> yours, 9\.1 top_k_routing: the same as the book's$" "9.1 agrees"
has "^>> yours, 9\.2 load_balancing_loss: differs from the book's: 0\.5 where the book has 0\.0[0-9]+; the numbers below are yours$" "9.2 differs, and by how much"
has '^loss: tensor\(0\.5000\)$' "the walkthrough goes on with the student's number"
has '^9\.2 +load_balancing_loss +differs \(2 of 2 steps\)$' "the closing table"
mv "$S/before-mine.cpp" "$S/$F"

step "a compile error: a few lines, pointing at the file and line"
edit 9.2 'return undeclared_thing;'
line="$(grep -n 'return undeclared_thing;' "$S/$F" | cut -d: -f1)"
wb check 09
exit_is 1 "compile error"
has "^Your $F does not compile yet:$" "says it is the student's file"
has "^$F:$line:[0-9]+: error: .*undeclared_thing" "the first error, at the student's line"
has "^\(1 error in all; the compiler's full messages: .workbook/build-09.log\)$" "the count and where the rest is"
[ "$(wc -l <<<"$OUT")" -le 8 ] || fail "a compile error takes a few lines, not $(wc -l <<<"$OUT")"
[ -s "$S/.workbook/build-09.log" ] || fail "the full log is kept"
wb list
has 'then your file did not compile' "list says the last check did not compile"
has '^ +9\.1 +done +top-k routing' "and keeps what passed before"
wb run 09 --mine --no-plots
exit_is 1 "run --mine needs the file to compile"
has "^Your $F does not compile yet:$" "run --mine says so"
has "^$F:$line:[0-9]+: error: .*undeclared_thing" "at the student's line"
has '^\./workbook run 09 \(without --mine\) shows the book' "and what still works"
wb run 03
exit_is 0 "the other lessons are still usable"
has 'attention' "lesson 03 ran"

step "a crash in 9.2: one line naming it, the other exercises still checked"
sed -i "s|return undeclared_thing;|volatile int* p = nullptr; *p = 1; return 0.0f;|" "$S/$F"
wb check 09
exit_is 1 "a crash does not pass"
has '^  9\.2 .* CRASH$' "9.2 crashed"
# (built with --sanitize, UBSan stops the null store first and check says so)
has "^        your code crashed at $F:$line \\(in load_balancing_loss\\): (memory access violation|undefined behaviour \\(UBSan\\): store to null pointer)" "where and what happened"
has '^  9\.1 .* PASS$' "9.1 still checked"
has '^  9\.3 .* TODO$' "9.3 still checked"
has '^1 of 3 exercises pass\.$' "the count includes the crashed exercise"
has '^Next: exercise 9\.2 ' "the crash is next to fix"
wb run 09 --mine --no-plots
# (with --sanitize, UBSan stops the null store first: exit code 1)
[ "$RC" = 139 ] || [ "$RC" = 1 ] || fail "expected exit code 139 (SIGSEGV) or 1 (a sanitizer), got $RC"
has '^workbook: the walkthrough stopped (with signal 11 \(SEGV\)|on undefined behaviour \(UBSan\): store to null pointer)' "and says why"
has 'check 09 names which' "and where to look"

step "an endless loop in 9.2: stopped after the time limit, the others still checked"
sed -i "s|volatile int\* p = nullptr; \*p = 1; return 0.0f;|for (volatile int i = 0; i >= 0; i = 0) {} return 0.0f;|" "$S/$F"
grep -q 'for (volatile int i' "$S/$F" || fail "the test could not write the endless loop"
export WORKBOOK_CHECK_TIMEOUT=5  # 9.1 runs in milliseconds, even on a loaded machine
wb check 09
unset WORKBOOK_CHECK_TIMEOUT
exit_is 1 "a hang does not pass"
has '^  9\.2 .* TIMEOUT$' "9.2 timed out"
has "did not return within 5 s" "what happened"
has '^  9\.1 .* PASS$' "9.1 still checked"
has '^  9\.3 .* TODO$' "9.3 still checked"

step "reset: the stubs back from git, the student's file kept as a backup"
cp "$S/$F" "$S/before_reset.cpp"
wb reset 09
exit_is 0 "reset"
has "^Saved your file as lessons/09_mixture_of_experts/backups/exercises\.[0-9]{8}-[0-9]{6}\.cpp$" "names the backup"
has 'is back to its stubs \(from git, commit ' "the stubs came from git"
backup="$S/$(sed -n 's/^Saved your file as //p' <<<"$OUT")"
same "$backup" "$S/before_reset.cpp" "the backup holds the student's file"
same "$S/$F" "$S/stubs.cpp" "the file is the stubs again"
wb list
has '^ +9\.1 +not checked yet +top-k routing' "progress forgotten after a reset"
wb reset 09
exit_is 0 "reset of untouched stubs"
has 'holds the untouched stubs already' "nothing to do"
[ "$(find "$S/lessons/09_mixture_of_experts/backups" -type f | wc -l)" = 1 ] || fail "no backup of untouched stubs"
edit 9.3 'return {};  // first try'
wb reset 09
edit 9.3 'return {};  // second try'
wb reset 09
[ "$(find "$S/lessons/09_mixture_of_experts/backups" -name 'exercises.*.cpp' | wc -l)" = 3 ] || fail "three resets, three backups"
grep -lq 'first try' "$S"/lessons/09_mixture_of_experts/backups/*.cpp || fail "the first try's backup is kept"
grep -lq 'second try' "$S"/lessons/09_mixture_of_experts/backups/*.cpp || fail "the second try's backup is kept"
same "$backup" "$S/before_reset.cpp" "a later reset never overwrites an earlier backup"

# interrupted POINT SIGNAL VERB...: runs the workbook until it stops at POINT, then
# sends SIGNAL to its whole process group, as Ctrl-C does; RC is its exit code.
interrupted() {
    local point="$1" signal="$2" job i
    shift 2
    rm -f "$S/.workbook/paused"
    (cd "$S" && WORKBOOK_TEST_PAUSE="$point" exec ./workbook "$@") >"$S/interrupted.out" 2>&1 &
    job=$!
    until_in "$S/.workbook/paused" "^$point " 60
    kill "-$signal" -- "-$job"
    RC=0
    wait "$job" || RC=$?
    OUT="$(cat "$S/interrupted.out")"
    printf '$ ./workbook %s   (%s at %s; exit %s)\n%s\n' "$*" "$signal" "$point" "$RC" "$OUT"
}

step "reset interrupted (Ctrl-C, kill, a closed terminal) at each stage: the file intact or backed up"
edit 9.3 'return {};  // work in progress'
cp "$S/$F" "$S/work.cpp"
backups_before="$(find "$S/lessons/09_mixture_of_experts/backups" -name 'exercises.*.cpp' | wc -l)"
for signal in INT TERM HUP; do
    for point in reset-stubs reset-backup reset-replace; do
        interrupted "$point" "$signal" reset 09
        exit_is 130 "SIG$signal at $point"
        has 'reset interrupted: .* is unchanged' "says so (SIG$signal at $point)"
        same "$S/$F" "$S/work.cpp" "the file is intact after SIG$signal at $point"
    done
done
latest="$(find "$S/lessons/09_mixture_of_experts/backups" -name 'exercises.*.cpp' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)"
same "$latest" "$S/work.cpp" "a backup made before the interrupt is complete"
leftovers="$(find "$S/lessons/09_mixture_of_experts" -name '.exercises.*' | wc -l)"
[ "$leftovers" = 0 ] || fail "interrupts leave no half backup or temporary stubs behind ($leftovers found)"
interrupted reset-replace KILL reset 09
same "$S/$F" "$S/work.cpp" "the file is intact after a kill -9"
[ "$(find "$S/lessons/09_mixture_of_experts/backups" -name 'exercises.*.cpp' | wc -l)" -gt "$backups_before" ] ||
    fail "the interrupted resets still kept their backups"
for signal in INT TERM; do
    interrupted reset-replaced "$signal" reset 09
    exit_is 130 "SIG$signal just after the stubs replaced the file"
    has '^reset interrupted after the stubs were back in lessons/09_mixture_of_experts/exercises\.cpp; your file is saved as lessons/09_mixture_of_experts/backups/exercises\.[0-9-]+\.cpp\.$' \
        "says where the work is (SIG$signal)"
    same "$S/$F" "$S/stubs.cpp" "the stubs are in place"
    same "$S/$(sed -n 's/.*your file is saved as \(.*\)\.$/\1/p' <<<"$OUT")" "$S/work.cpp" "the named backup holds the work"
    cp "$S/work.cpp" "$S/$F"
done
leftovers="$(find "$S/lessons/09_mixture_of_experts" -name '.exercises.*' | wc -l)"
[ "$leftovers" = 0 ] || fail "the next reset removes what a kill -9 left ($leftovers found)"

step "watch interrupted while it builds, runs the check, or waits for a save: stops cleanly, the file intact"
for signal in INT TERM HUP; do
    for point in check-build check-run watch-wait; do
        interrupted "$point" "$signal" watch 09
        exit_is 0 "SIG$signal at $point stops watch"
        has '^Stopped watching\. lessons/09_mixture_of_experts/exercises\.cpp is as you last saved it\.$' "says so"
        same "$S/$F" "$S/work.cpp" "watch never touches the file (SIG$signal at $point)"
    done
done
wb check 09
has '^  9\.1 .* TODO$' "check works after the interrupted watches"

step "watch without inotify: it looks at the file every interval instead"
(cd "$S" && WORKBOOK_WATCH_POLL=1 exec ./workbook watch 09 --rounds 2) >"$S/watch.out" 2>&1 &
watcher=$!
until_in "$S/watch.out" '^0 of 3 exercises pass\.$' 60
edit 9.1 'return Route{};'
until_in "$S/watch.out" '9\.1 top-k routing with renormalised weights: TODO -> FAIL$' 60
RC=0
wait "$watcher" || RC=$?
OUT="$(cat "$S/watch.out")"
exit_is 0 "the polling watch stops after its rounds"
lacks '^\[.*\] 9\.[23] ' "only 9.1 changed"

step "no git history (a zip download): reset uses the copy kept while the stubs were untouched"
rm -rf "$S/.git"
wb reset 09
exit_is 0 "reset without git"
has 'from the copy kept in \.workbook/stubs/09_mixture_of_experts\.cpp' "where the stubs came from"
same "$S/$F" "$S/stubs.cpp" "the stubs are back"
edit 9.1 'return {};  // no way back'
cp "$S/$F" "$S/work.cpp"
rm -rf "$S/.workbook/stubs"
count_before="$(find "$S/lessons/09_mixture_of_experts/backups" -name 'exercises.*.cpp' | wc -l)"
wb reset 09
exit_is 1 "no stubs anywhere"
has 'cannot find the original stubs of lesson 09' "a clear error"
has 'Your file is untouched' "and the file is safe"
same "$S/$F" "$S/work.cpp" "untouched"
[ "$(find "$S/lessons/09_mixture_of_experts/backups" -name 'exercises.*.cpp' | wc -l)" = "$count_before" ] || fail "no backup when nothing is replaced"
[ -z "$(find "$S/lessons/09_mixture_of_experts" -maxdepth 1 -name '.exercises.cpp.reset.*')" ] || fail "no temporary file left"

printf '\nThe student session passed.\n'
