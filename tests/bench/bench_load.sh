#!/usr/bin/env bash
# CPU and peak memory to load N solutions, and how they grow with N: the dashboard (driven in
# tmux until its header counts every solution) and the CLI (`list`, `list --json`) against the
# sandbox with N generated solutions (plus the dataset's fixed ones), at each N given.
#
# CPU is user + system time of the mpsdash process (its threads included) from /proc/PID/stat
# for the dashboard and from getrusage of the child for the CLI; peak RSS is VmHWM / ru_maxrss.
# Wall time is not reported: on a shared machine it measures the neighbours. Each figure is the
# median of REPEAT runs; the last lines give the ratio of the largest N to the smallest.
#
# Usage: MPSDASH=build/mpsdash tests/bench/bench_load.sh [N...]     (default: 10000 50000)
#        REPEAT=3 (runs per figure), BENCH_DEADLINE=900 (seconds one load may take)
set -u

MPSDASH=${MPSDASH:-$(cd "$(dirname "$0")/../.." && pwd)/build/mpsdash}
MPSDASH=$(cd "$(dirname "$MPSDASH")" && pwd)/$(basename "$MPSDASH")
HERE=$(cd "$(dirname "$0")" && pwd)
REPEAT=${REPEAT:-3}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 50000)
[ -x "$MPSDASH" ] || { echo "bench_load: no binary at $MPSDASH (set MPSDASH)" >&2; exit 2; }
# Debian's python3 (a python3 earlier in PATH may be a wrapper script whose own children would
# count as the CLI's).
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=$(command -v python3) || { echo "bench_load: needs python3" >&2; exit 2; }

export MPSDASH TUI_DEADLINE=${BENCH_DEADLINE:-900}
TIMEOUT=(--timeout "$TUI_DEADLINE") # a loaded machine may take longer than the default 120 s
# The tmux helpers (private server, sandbox on a free port, screen polling, clean-up); without
# tmux it says SKIP and exits 77.
. "$HERE/../tui/lib.sh"

# The sandbox's fixed dataset: how many solutions Lucky Shrub lists without generated ones.
fixed_count() {
    MPSDASH_TOKEN=$TOKEN_A "$MPSDASH" --graph-url "$SANDBOX_URL" --app-id "$APP_A" \
        --token-env MPSDASH_TOKEN list --json |
        "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))'
}

sandbox_stop() {
    if [ -n "$TUI_SANDBOX_PID" ]; then
        kill "$TUI_SANDBOX_PID" 2>/dev/null
        wait "$TUI_SANDBOX_PID" 2>/dev/null
        TUI_SANDBOX_PID=
    fi
}

# "CPU_SECONDS PEAK_KB" of one CLI run; its output is counted (JSON items or table rows) and
# checked against the expected number, so a failed listing is not a fast one.
cli_run() { # EXPECTED ARGS...
    local expected=$1
    shift
    MPSDASH_TOKEN=$TOKEN_A nice "$PY" - "$expected" "$MPSDASH" --graph-url "$SANDBOX_URL" \
        --app-id "$APP_A" --token-env MPSDASH_TOKEN "${TIMEOUT[@]}" "$@" <<'PY'
import json, resource, subprocess, sys
expected, argv = int(sys.argv[1]), sys.argv[2:]
before = resource.getrusage(resource.RUSAGE_CHILDREN)
out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
r = resource.getrusage(resource.RUSAGE_CHILDREN)
if "--json" in argv:
    got = len(json.loads(out))
else:
    got = out.count(b"\n") - 1  # the header line
if got != expected:
    sys.exit("bench_load: %s listed %d solutions, not %d" % (" ".join(argv[-2:]), got, expected))
cpu = r.ru_utime + r.ru_stime - before.ru_utime - before.ru_stime
print("%.2f %d" % (cpu, r.ru_maxrss))
PY
}

# "CPU_SECONDS PEAK_KB" of the dashboard once its header says "All TOTAL".
tui_run() { # TOTAL
    local total=$1 pid tck
    tmx kill-server 2>/dev/null
    TUI_ENV="" tui_start 160 45 "${TIMEOUT[@]}"
    # tui_start runs it through exec env: the pane's process is mpsdash itself.
    pid=$(tmx display-message -p -t mps '#{pane_pid}')
    renice -n 10 -p "$pid" >/dev/null 2>&1
    wait_match "All $total\b"
    tck=$(getconf CLK_TCK)
    local stat hwm
    stat=$(cut -d' ' -f14,15 "/proc/$pid/stat" 2>/dev/null) || fail "the dashboard is gone"
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
    keys q
    tmx kill-server 2>/dev/null
    echo "$stat" | awk -v t="$tck" -v h="$hwm" '{printf "%.2f %d\n", ($1 + $2) / t, h}'
}

median() { sort -n | awk '{a[NR] = $1} END {print NR ? a[int((NR + 1) / 2)] : "-"}'; }

declare -A CPU RSS
for n in "${SIZES[@]}"; do
    sandbox_stop
    sandbox_start --solutions "$n"
    fixed=$(fixed_count) || fail "listing the sandbox failed"
    # fixed counts the generated ones too: the sandbox has them already.
    total=$fixed
    echo "N=$n: the sandbox lists $total solutions ($((total - n)) fixed)" >&2
    for what in dashboard list list-json; do
        : >"$TUI_DIR/runs"
        for _ in $(seq "$REPEAT"); do
            case $what in
            dashboard) tui_run "$total" ;;
            list) cli_run "$total" list ;;
            list-json) cli_run "$total" list --json ;;
            esac >>"$TUI_DIR/runs" || exit 1
        done
        CPU[$what,$n]=$(cut -d' ' -f1 "$TUI_DIR/runs" | median)
        RSS[$what,$n]=$(cut -d' ' -f2 "$TUI_DIR/runs" | median)
        echo "  $what: $(tr '\n' ';' <"$TUI_DIR/runs")" >&2
    done
done
sandbox_stop

printf '%-10s %8s %10s %12s\n' what N "CPU s" "peak RSS MB"
for what in dashboard list list-json; do
    for n in "${SIZES[@]}"; do
        printf '%-10s %8s %10s %12s\n' "$what" "$n" "${CPU[$what,$n]}" \
            "$(awk -v k="${RSS[$what,$n]}" 'BEGIN {printf "%.1f", k / 1024}')"
    done
done
if [ ${#SIZES[@]} -gt 1 ]; then
    lo=${SIZES[0]} hi=${SIZES[${#SIZES[@]} - 1]}
    for what in dashboard list list-json; do
        awk -v w="$what" -v a="${CPU[$what,$lo]}" -v b="${CPU[$what,$hi]}" -v lo="$lo" -v hi="$hi" \
            'BEGIN {printf "%-10s CPU at %d / CPU at %d: %.1fx\n", w, hi, lo, (a > 0 ? b / a : 0)}'
    done
fi
