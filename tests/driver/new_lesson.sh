#!/usr/bin/env bash
# `./workbook new` on a copy of the repository: it refuses a number or a name that
# is taken, creates a lesson that builds, whose golden output, exercise test,
# solutions-PASS and stubs-TODO tests pass, and that list, check and hint know.
#
#   new_lesson.sh SOURCE_DIR WORK_DIR
#
# WORK_DIR keeps the copy's build tree between runs: the first run compiles lib/
# once more (about a minute on two cores), later runs only the new lesson.
set -euo pipefail

SRC="$1" W="$2"
R="$W/repo"
GIT_CEILING_DIRECTORIES="$W"
export GIT_CEILING_DIRECTORIES
unset WORKBOOK_BUILD_DIR WORKBOOK_CHECK_TARGET WORKBOOK_TEST_PAUSE WORKBOOK_PRESET

SESSION_REPO="$R"
# shellcheck source=tests/driver/assert.sh
source "$(dirname "${BASH_SOURCE[0]}")/assert.sh"

# The copy keeps the files' times, so the build tree kept from the last run sees
# nothing changed but the new lesson.
rm -rf "$R"
mkdir -p "$R"
tar -C "$SRC" --exclude=./build --exclude=./.git --exclude=./.workbook --exclude='./lessons/*/backups' -cf - . | tar -C "$R" -xf -
registry_before="$(cat "$R/lessons/lessons.txt")"

# a number no lesson has, from 99 down
nn=99
while grep -Eq "^${nn}_" "$R/lessons/lessons.txt" || compgen -G "$R/lessons/${nn}_*" >/dev/null; do nn=$((nn - 1)); done
k=$((10#$nn))
folder="${nn}_scratch_lesson"

wb new 09 another_name "Taken number"
exit_is 1 "a number in use"
has 'lesson 09_mixture_of_experts is already registered' "names the lesson in the way"
wb new "$nn" mixture_of_experts "Taken name"
exit_is 1 "a name in use"
has 'lesson 09_mixture_of_experts is already registered' "names the lesson in the way"
wb new 7 x "One digit"
exit_is 1 "a one-digit number"
wb new "$nn" Bad-Name "Bad name"
exit_is 1 "a name with capitals"
wb new "$nn" no_title
exit_is 1 "no title"
[ "$(cat "$R/lessons/lessons.txt")" = "$registry_before" ] || fail "a refused new leaves the registry alone"
[ ! -e "$R/lessons/$folder" ] || fail "a refused new creates nothing"

wb new "$nn" scratch_lesson "A scratch lesson: made by the test"
exit_is 0 "new"
has "^Created lesson $nn:" "says what it did"
for f in lessons/$folder/{main.cpp,README.md,exercises.hpp,exercises.cpp,yours.cpp,hints.md,expected_output.txt} \
         solutions/$folder/exercises.cpp tests/exercises/$folder.cpp; do
    [ -s "$R/$f" ] || fail "new did not create $f"
done
tail -n 1 "$R/lessons/lessons.txt" | grep -Eq "^$folder +A scratch lesson: made by the test$" || fail "the registry's last line is the new lesson"
wb new "$nn" scratch_lesson "Again"
exit_is 1 "the same lesson twice"

echo "configuring and building the copy (the first time compiles lib/ too)"
cmake -S "$R" -B "$W/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >"$W/configure.log" 2>&1 || { cat "$W/configure.log"; fail "the copy with the new lesson does not configure"; }
cmake --build "$W/build" --target "lesson$nn" "lesson${nn}_exercises" "lesson${nn}_mine_solutions" golden_diff >"$W/build.log" 2>&1 || { tail -n 40 "$W/build.log"; fail "the new lesson does not build"; }
OUT="$(cd "$W/build" && ctest -R "^lesson$nn/|^lesson${nn}_exercises/" --output-on-failure 2>&1)" || { printf '%s\n' "$OUT"; fail "the new lesson's tests fail"; }
printf '%s\n' "$OUT"
has "lesson$nn/golden_output .* Passed" "its golden output matches what its main.cpp prints"
has "lesson$nn/solutions_report_pass .* Passed" "its solution passes"
has "lesson$nn/mine_with_solutions .* Passed" "run --mine with the solution gives the book's walkthrough"
has "lesson$nn/stubs_report_todo .* Passed" "its stub reports TODO"
has "lesson${nn}_exercises/lesson$nn/exercise_${k}_1 .* Passed" "its exercise test runs"

export WORKBOOK_BUILD_DIR="$W/build"
wb run "$nn" --mine
exit_is 0 "run --mine on the new stub"
has "^>> yours, $k\\.1 twice: still a TODO; the numbers below are the book's$" "the new exercise's step"
wb check "$nn"
exit_is 1 "the new stub does not pass"
has "^  $k\\.1 +twice every element \\.+ TODO$" "check knows the new exercise"
wb hint "$nn" "$k.1"
has '^Hint 1 of 3:$' "its hints are graded"
wb list
has "^  $nn  A scratch lesson: made by the test$" "list shows it"
has "^ +$k\\.1 +not yet \\(TODO\\) +twice every element$" "with its exercise"

printf '\nnew made a lesson that builds and passes its tests.\n'
