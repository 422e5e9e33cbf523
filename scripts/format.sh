#!/bin/sh
# Formats the C sources as .clang-format says: src/, include/ and the tests' .c and .h files.
# --check changes nothing: it lists what would change and fails if anything would
# (tests/style/test_format.sh). CLANG_FORMAT names another clang-format.
set -eu
cd "$(dirname "$0")/.."
FORMAT=${CLANG_FORMAT:-clang-format}
case "${1:-}" in
    --check) set -- --dry-run -Werror ;;
    "") set -- -i ;;
    *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac
find src include tests -type f -name '*.[ch]' | LC_ALL=C sort | xargs "$FORMAT" "$@"
