#!/usr/bin/env bash
# clang-tidy, as .clang-tidy at the root asks, over every translation unit of src/ in the build's
# compile_commands.json (so with the build's own flags and defines), two files at a time. Any
# finding fails the test (WarningsAsErrors). Skipped (exit 77), saying why, without clang-tidy.
# ctest sets MPSDASH_SOURCE and MPSDASH_BUILD; TIDY_JOBS overrides the parallelism.
set -u
: "${MPSDASH_SOURCE:?MPSDASH_SOURCE must name the source tree}"
: "${MPSDASH_BUILD:?MPSDASH_BUILD must name the build tree}"
TIDY=$(command -v clang-tidy || command -v clang-tidy-14) || {
    echo "SKIP: clang-tidy is not installed (scripts/install-deps.sh installs it)"
    exit 77
}
DB=$MPSDASH_BUILD/compile_commands.json
[ -f "$DB" ] || { echo "not ok 1 - $DB is missing (CMAKE_EXPORT_COMPILE_COMMANDS)"; exit 1; }

TMP=$(mktemp -d /tmp/mpsdash-tidy.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# The source files the build compiles, and every .c under src/: one missing from the build would
# go unchecked, so that fails rather than passing unseen.
python3 - "$DB" "$MPSDASH_SOURCE/src/" >"$TMP/files" <<'PY' || exit 1
import json, sys
src = sys.argv[2]
for f in sorted({e["file"] for e in json.load(open(sys.argv[1])) if e["file"].startswith(src)}):
    print(f)
PY
(cd "$MPSDASH_SOURCE" && find "$PWD/src" -name '*.c' | sort) >"$TMP/tree"
unbuilt=$(comm -13 "$TMP/files" "$TMP/tree")
[ -z "$unbuilt" ] || { echo "not ok 1 - not in $DB, so not checked:"; echo "$unbuilt"; exit 1; }
count=$(wc -l <"$TMP/files")

# gcc's -Wno-format-truncation is not clang's: without the second flag clang reports it unknown,
# and a translation unit with a compiler error is not analysed at all. One file per clang-tidy:
# given several, clang-tidy 14's analyzer carries va_list state from one into the next and calls
# every later va_start'ed list uninitialized.
export TIDY TMP
start=$SECONDS
tr '\n' '\0' <"$TMP/files" | xargs -0 -n1 -P"${TIDY_JOBS:-2}" sh -c '
    log=$TMP/$(echo "$1" | tr / _).log
    "$TIDY" -p "$(dirname "$0")" --quiet --extra-arg=-Wno-unknown-warning-option "$1" \
        >"$log" 2>&1 || mv "$log" "$log.failed"' "$DB"
elapsed=$((SECONDS - start))

failed=$(find "$TMP" -name '*.failed' | sort)
if [ -n "$failed" ]; then
    # shellcheck disable=SC2086
    cat $failed
    echo "not ok 1 - clang-tidy: $(echo "$failed" | wc -l) of $count files have findings (${elapsed}s)"
    exit 1
fi
echo "ok 1 - clang-tidy: $count files of src/ clean (${elapsed}s)"
