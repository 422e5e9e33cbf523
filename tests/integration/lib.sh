# Shared helpers for the integration tests: a private home and sandbox per test, running the CLI
# with captured output and exit status, request counting from the sandbox's log, assertions.
# Sourced by tests/integration/test_*.sh; ctest sets MPSDASH (the binary) and MPSDASH_TESTS.

set -u

: "${MPSDASH:?MPSDASH must name the mpsdash binary}"
MPSDASH_TESTS=${MPSDASH_TESTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
IT_DIR=$MPSDASH_TESTS/integration

TOKEN_A=sandbox-token-lucky-shrub
TOKEN_B=sandbox-token-social-overdrive
TOKEN_EXPIRED=sandbox-token-expired
APP_A=21202248997039
APP_B=637576208107267
BUSINESS_A=506914307656634
BUSINESS_B=520744086200222

TMP=$(mktemp -d /tmp/mpsdash-it.XXXXXX)
# Nothing may touch the real home: config, state (audit log) and home all live in TMP.
export HOME=$TMP/home XDG_CONFIG_HOME=$TMP/config XDG_STATE_HOME=$TMP/state
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
export LC_ALL=${LC_ALL:-C.UTF-8}
unset MPSDASH_TOKEN NO_COLOR
# Short timeouts and backoff keep the fault tests fast (test-only knobs of the CLI).
export MPSDASH_CONNECT_TIMEOUT_MS=${MPSDASH_CONNECT_TIMEOUT_MS:-2000}
export MPSDASH_REQUEST_TIMEOUT_MS=${MPSDASH_REQUEST_TIMEOUT_MS:-4000}
export MPSDASH_BACKOFF_MS=${MPSDASH_BACKOFF_MS:-10}
export MPSDASH_BACKOFF_CAP_MS=${MPSDASH_BACKOFF_CAP_MS:-50}
AUDIT=$XDG_STATE_HOME/mpsdash/audit.log

SANDBOX_PID=
PORT=
URL=
REQLOG=$TMP/requests.log
FAILURES=0
CHECKS=0
SKIPPED=() # parts not run for want of a tool: finish reports the test skipped (77), not passed

cleanup() {
    stop_sandbox
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

note() { printf '# %s\n' "$*"; }

# A part of the test that cannot run here (its tool is missing): said now, and again by finish,
# which then exits 77 so that ctest reports the test skipped rather than passed.
skip_part() {
    SKIPPED+=("$*")
    printf '# SKIP %s\n' "$*"
}

ok() {
    CHECKS=$((CHECKS + 1))
    printf 'ok %d - %s\n' "$CHECKS" "$1"
}

fail() {
    CHECKS=$((CHECKS + 1))
    FAILURES=$((FAILURES + 1))
    printf 'not ok %d - %s\n' "$CHECKS" "$1"
    shift
    local line
    for line in "$@"; do printf '#   %s\n' "$line"; done
    if [ -n "${OUT_FILE:-}" ] && [ -f "$OUT_FILE" ]; then
        printf '#   stdout: %s\n' "$(head -c 1500 "$OUT_FILE" | cat -v)"
        printf '#   stderr: %s\n' "$(head -c 1500 "$ERR_FILE" | cat -v)"
    fi
}

# DIALECT (guide or openapi; ctest runs some suites with each) is the sandbox's dialect unless a
# test names one; dialect_is tells a test which answers to expect where the two differ.
DIALECT=${DIALECT:-}
dialect_is() { [ "${DIALECT:-guide}" = "$1" ]; }

# Starts the sandbox on a free port with the request log on; extra arguments go to it.
start_sandbox() {
    stop_sandbox
    rm -f "$TMP/port" "$REQLOG"
    "$MPSDASH" sandbox --port 0 --port-file "$TMP/port" --request-log "$REQLOG" \
        ${DIALECT:+--dialect "$DIALECT"} "$@" \
        >"$TMP/sandbox.out" 2>&1 &
    SANDBOX_PID=$!
    local deadline=$((SECONDS + 15))
    while [ ! -s "$TMP/port" ]; do
        if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
            echo "sandbox exited early:" >&2
            cat "$TMP/sandbox.out" >&2
            SANDBOX_PID=
            exit 1
        fi
        if [ $SECONDS -ge $deadline ]; then
            echo "sandbox did not write its port file in time" >&2
            exit 1
        fi
        sleep 0.05
    done
    PORT=$(cat "$TMP/port")
    URL=http://127.0.0.1:$PORT
    : >"$REQLOG"
}

stop_sandbox() {
    if [ -n "$SANDBOX_PID" ]; then
        kill -TERM "$SANDBOX_PID" 2>/dev/null
        local deadline=$((SECONDS + 10))
        while kill -0 "$SANDBOX_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
        kill -KILL "$SANDBOX_PID" 2>/dev/null
        wait "$SANDBOX_PID" 2>/dev/null
        SANDBOX_PID=
    fi
}

# run CMD...: runs a command with stdin from /dev/null; sets RC, OUT, ERR (and the files).
run() {
    OUT_FILE=$TMP/out.$CHECKS
    ERR_FILE=$TMP/err.$CHECKS
    "$@" </dev/null >"$OUT_FILE" 2>"$ERR_FILE"
    RC=$?
    OUT=$(cat "$OUT_FILE")
    ERR=$(cat "$ERR_FILE")
    # a signal death (crash, sanitizer abort) is never an acceptable outcome
    if [ $RC -ge 128 ]; then
        fail "command died with status $RC: $*"
    fi
    return 0
}

# as_a / as_b / as_token TOKEN APP: the CLI against the sandbox as one identity, token by env.
as_token() {
    local token=$1 app=$2
    shift 2
    MPSDASH_TOKEN=$token "$MPSDASH" --graph-url "$URL" --app-id "$app" --token-env MPSDASH_TOKEN "$@"
}
as_a() { as_token "$TOKEN_A" "$APP_A" "$@"; }
as_b() { as_token "$TOKEN_B" "$APP_B" "$@"; }

# Requests in the sandbox's log whose "METHOD path" ends with the given suffix (or all).
requests() {
    local method=${1:-} suffix=${2:-}
    python3 - "$REQLOG" "$method" "$suffix" <<'EOF'
import json, sys
path, method, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
n = 0
with open(path, encoding="utf-8", errors="replace") as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        r = json.loads(line)
        if method and r.get("method") != method:
            continue
        if suffix and not r.get("path", "").endswith(suffix):
            continue
        n += 1
print(n)
EOF
}

reset_log() { : >"$REQLOG"; }

# Control API of the sandbox (no token; what changes something says application/json).
JSON_CT='Content-Type: application/json'
sandbox_fault() { curl -sS -m 5 -X POST -H "$JSON_CT" "$URL/__sandbox/fault" -d "$1" >/dev/null; }
sandbox_clear_faults() { curl -sS -m 5 -X DELETE -H "$JSON_CT" "$URL/__sandbox/fault" >/dev/null; }
sandbox_mutate() { curl -sS -m 5 -X POST -H "$JSON_CT" "$URL/__sandbox/mutate" -d "$1" >/dev/null; }
sandbox_state() { curl -sS -m 5 "$URL/__sandbox/state"; }

# The status (and pending request) the sandbox holds for a solution: "STATUS/PENDING".
solution_status() {
    sandbox_state | python3 -c '
import json, sys
want = sys.argv[1]
for s in json.load(sys.stdin).get("solutions", []):
    if s.get("id") == want:
        print("%s/%s" % (s.get("status"), s.get("status_for_pending_request") or "NONE"))
        break
else:
    print("absent")
' "$1"
}

expect_rc() {
    local want=$1 what=$2
    if [ "$RC" = "$want" ]; then ok "$what (exit $want)"; else fail "$what: exit $RC, wanted $want"; fi
}

expect_nonzero() {
    if [ "$RC" != 0 ]; then ok "$1 (exit $RC)"; else fail "$1: exit 0, wanted non-zero"; fi
}

expect_in() { # expect_in HAYSTACK NEEDLE WHAT
    case "$1" in
    *"$2"*) ok "$3" ;;
    *) fail "$3" "missing: $2" ;;
    esac
}

expect_not_in() {
    case "$1" in
    *"$2"*) fail "$3" "present: $2" ;;
    *) ok "$3" ;;
    esac
}

expect_eq() { # expect_eq GOT WANT WHAT
    if [ "$1" = "$2" ]; then ok "$3"; else fail "$3" "got: $1" "wanted: $2"; fi
}

# Whether a file holds valid JSON.
expect_json() {
    if python3 -m json.tool "$1" >/dev/null 2>&1; then ok "$2"; else fail "$2" "not valid JSON"; fi
}

# No raw terminal controls in a file: ESC, C1 (as UTF-8), U+202E, CR, other C0 but TAB/LF.
expect_terminal_safe() {
    if python3 - "$1" <<'EOF'; then ok "$2"; else fail "$2"; fi
import sys
data = open(sys.argv[1], "rb").read()
bad = []
if b"\x1b" in data: bad.append("ESC")
if b"\r" in data: bad.append("CR")
if b"\xe2\x80\xae" in data: bad.append("U+202E")
text = data.decode("utf-8", errors="strict") if True else ""
for ch in text:
    o = ord(ch)
    if (o < 0x20 and ch not in "\n\t") or o == 0x7f or 0x80 <= o <= 0x9f:
        bad.append("U+%04X" % o)
        break
    if o in (0x200e, 0x200f, 0x061c) or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
        bad.append("bidi U+%04X" % o)
        break
if bad:
    print("# unsafe bytes:", ", ".join(bad))
    sys.exit(1)
EOF
}

finish() {
    if [ "$CHECKS" -eq 0 ]; then
        echo "no checks ran"
        exit 1
    fi
    if [ "$FAILURES" -ne 0 ]; then
        echo "# $FAILURES of $CHECKS checks failed"
        exit 1
    fi
    if [ "${#SKIPPED[@]}" -ne 0 ]; then
        echo "# all $CHECKS checks that ran passed, but ${#SKIPPED[@]} part(s) did not run:"
        printf 'SKIP: %s\n' "${SKIPPED[@]}"
        exit 77
    fi
    echo "# all $CHECKS checks passed"
    exit 0
}
