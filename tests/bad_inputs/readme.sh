#!/usr/bin/env bash
# Keeps README.md's two tables equal to the rows they show:
#   readme.sh write BUILD_DIR   rewrites the tables from rows.cpp (through BUILD_DIR/bin/print_rows)
#                               and commands.txt
#   readme.sh check BUILD_DIR   fails, showing the difference, when README.md is not current
#                               (the test bad_inputs/readme_is_current)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODE="${1:-}" BUILD="${2:-}"
[ -n "$BUILD" ] && { [ "$MODE" = write ] || [ "$MODE" = check ]; } || { echo "usage: readme.sh write|check BUILD_DIR" >&2; exit 2; }

lib_table() { "$BUILD/bin/print_rows" --markdown; }

command_table() {
    printf '| # | command | exit | what it prints on stderr |\n|---|---|---|---|\n'
    grep -E '^[a-z0-9_]+ *\|' "$HERE/commands.txt" | awk -F '|' '
        function trim(s) { gsub(/^ +| +$/, "", s); return s }
        { printf "| %d | `%s` | %s | %s |\n", NR, trim($2), trim($3), trim($4) }'
}

# README.md with the text between each "<!-- table: NAME -->" and "<!-- end of table -->" replaced
generated() {
    local lib commands
    lib="$(lib_table)" commands="$(command_table)"
    awk -v lib="$lib" -v commands="$commands" '
        /^<!-- table: lib -->$/ { print; print lib; skip = 1; next }
        /^<!-- table: commands -->$/ { print; print commands; skip = 1; next }
        /^<!-- end of table -->$/ { skip = 0 }
        !skip { print }' "$HERE/README.md"
}

fresh="$(mktemp)"
trap 'rm -f "$fresh"' EXIT
generated >"$fresh"
if [ "$MODE" = write ]; then
    cp "$fresh" "$HERE/README.md"
    echo "wrote tests/bad_inputs/README.md ($(grep -c '^| [0-9]' "$fresh") rows)"
elif ! diff -u "$HERE/README.md" "$fresh"; then
    echo "tests/bad_inputs/README.md is not current: run tests/bad_inputs/readme.sh write $BUILD"
    exit 1
fi
