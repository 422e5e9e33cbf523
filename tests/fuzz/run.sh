#!/usr/bin/env bash
# Runs every fuzz target under libFuzzer (clang, ASan+UBSan) for at least RUNS executions
# (default 1,000,000) or MAX_TIME seconds (default 1800), whichever comes first. Not part of
# CI: CI replays the committed corpora (ctest fuzz/*).
#
# Each target starts from its committed corpus (tests/fuzz/corpus/<name>); inputs that reach new
# code are merged back into it (libFuzzer -merge=1, so only those adding coverage) to be
# committed and replayed in CI. A crash, leak, hang or failed property leaves its input in
# $WORK/artifacts and makes the script exit non-zero. At the end a table gives each target's
# execution count, time and corpus growth.
#
#   tests/fuzz/run.sh [TARGET...]      TARGET: config, parse, sanitize, answer (default: all)
#   RUNS=... MAX_TIME=... TIMEOUT=... WORK=... BUILD=... tests/fuzz/run.sh
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-1000000}
MAX_TIME=${MAX_TIME:-1800}
BUILD=${BUILD:-$SRC/build-fuzz}
WORK=${WORK:-$BUILD/fuzz-work}
JOBS=${JOBS:-2}
# libFuzzer's per-input limit in wall seconds: a backstop for a blocked thread (the harnesses
# check slowness themselves, in CPU time); generous, as a loaded machine stalls a process for
# seconds and a false "timeout" ends the run.
TIMEOUT=${TIMEOUT:-120}

command -v clang >/dev/null 2>&1 || { echo "run.sh: clang is needed (scripts/install-deps.sh)" >&2; exit 2; }

cmake -S "$SRC" -B "$BUILD" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS="-Wno-unknown-warning-option" -DMPSDASH_FUZZ=ON -DMPSDASH_SANITIZE=ON \
    >/dev/null || exit 2

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in "$SRC"/tests/fuzz/fuzz_*.c; do
        n=${f##*/fuzz_}
        targets+=("${n%.c}")
    done
fi
cmake --build "$BUILD" -j"$JOBS" --target "${targets[@]/#/fuzz_}" >/dev/null || exit 2

mkdir -p "$WORK/artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LC_ALL=C.UTF-8
status=0
summary=()
for t in "${targets[@]}"; do
    bin="$BUILD/tests/fuzz_$t"
    corpus="$SRC/tests/fuzz/corpus/$t"
    fresh="$WORK/new-$t"
    log="$WORK/$t.log"
    rm -rf "$fresh"
    mkdir -p "$fresh" "$corpus"
    dict=()
    [ -f "$SRC/tests/fuzz/$t.dict" ] && dict=(-dict="$SRC/tests/fuzz/$t.dict")
    before=$(find "$corpus" -type f | wc -l)
    echo "== fuzz_$t: up to $RUNS executions or $MAX_TIME s (log: $log)"
    # New inputs go to $fresh (the first directory); the committed corpus is read only here.
    "$bin" -runs="$RUNS" -max_total_time="$MAX_TIME" -timeout="$TIMEOUT" -rss_limit_mb=2048 \
        -max_len=8192 -print_final_stats=1 -artifact_prefix="$WORK/artifacts/$t-" \
        "${dict[@]}" "$fresh" "$corpus" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    [ -n "$secs" ] || secs=$(sed -n 's/.*DONE.*time: *\([0-9]*\)s.*/\1/p' "$log" | tail -1)
    if [ $rc -ne 0 ]; then
        echo "fuzz_$t FAILED (exit $rc): see $log and $WORK/artifacts/" >&2
        grep -m3 -E 'ERROR|SUMMARY|abort|CHECK|\.c:[0-9]+:' "$log" >&2
        status=1
    fi
    # Keep what adds coverage, nothing else.
    "$bin" -merge=1 "$corpus" "$fresh" >>"$log" 2>&1 || status=1
    after=$(find "$corpus" -type f | wc -l)
    summary+=("$(printf '%-10s %12s %8s %8s %8s %s' "$t" "${runs:-?}" "${secs:-?}" "$before" "$after" \
        "$([ $rc -eq 0 ] && echo ok || echo FAILED)")")
done

printf '\n%-10s %12s %8s %8s %8s %s\n' target executions seconds corpus "after" result
printf '%s\n' "${summary[@]}"
exit $status
