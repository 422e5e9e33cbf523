#!/usr/bin/env bash
# clang-format --dry-run -Werror (.clang-format at the root) over src/, include/ and the tests'
# C files, through scripts/format.sh --check: a line that scripts/format.sh would change fails.
# Skipped (exit 77), saying why, without clang-format. ctest sets MPSDASH_SOURCE.
set -u
: "${MPSDASH_SOURCE:?MPSDASH_SOURCE must name the source tree}"
CLANG_FORMAT=$(command -v clang-format || command -v clang-format-14) || {
    echo "SKIP: clang-format is not installed (scripts/install-deps.sh installs it)"
    exit 77
}
export CLANG_FORMAT
count=$(find "$MPSDASH_SOURCE"/{src,include,tests} -type f -name '*.[ch]' | wc -l)
[ "$count" -gt 0 ] || { echo "not ok 1 - no C files found under $MPSDASH_SOURCE"; exit 1; }
OUT=$(mktemp /tmp/mpsdash-format.XXXXXX)
trap 'rm -f "$OUT"' EXIT
if ! sh "$MPSDASH_SOURCE/scripts/format.sh" --check >"$OUT" 2>&1; then
    head -n 200 "$OUT"
    echo "not ok 1 - clang-format would change $(grep -c ': error:' "$OUT") place(s):" \
        "scripts/format.sh applies it"
    exit 1
fi
echo "ok 1 - $count C files as .clang-format says"
