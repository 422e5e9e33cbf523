# Helpers for the dashboard's tmux-driven tests: a private tmux server and sandbox per test,
# screen polling with deadlines (never fixed sleeps), and clean-up on exit.
# Source it from a test: . "$MPSDASH_TESTS/tui/lib.sh"

set -u

: "${MPSDASH:?MPSDASH must name the mpsdash binary}"
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed"; exit 77; }

TUI_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mpsdash-tui.XXXXXX")
TUI_SOCK="mpsdash-tui-$$-${RANDOM}"
TUI_SANDBOX_PID=""
TUI_DEADLINE=${TUI_DEADLINE:-15} # seconds any one wait may take
SANDBOX_URL=""
SANDBOX_LOG="$TUI_DIR/requests.log"
TUI_STDERR="$TUI_DIR/stderr"

# A private home for config, audit log and state; the public demo tokens in the environment
# (the tmux server started below inherits it, so no token is ever on a command line).
export HOME="$TUI_DIR/home" XDG_CONFIG_HOME="$TUI_DIR/home/.config" XDG_STATE_HOME="$TUI_DIR/home/.local/state"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
chmod 700 "$HOME"
export TOKEN_A=sandbox-token-lucky-shrub TOKEN_B=sandbox-token-social-overdrive
export TOKEN_EXPIRED=sandbox-token-expired
export LC_ALL=${LC_ALL:-C.UTF-8}
unset TMUX NO_COLOR
APP_A=21202248997039
APP_B=637576208107267
AUDIT_LOG="$XDG_STATE_HOME/mpsdash/audit.log"

tui_cleanup() {
    tmux -L "$TUI_SOCK" kill-server 2>/dev/null
    if [ -n "$TUI_SANDBOX_PID" ]; then
        kill "$TUI_SANDBOX_PID" 2>/dev/null
        wait "$TUI_SANDBOX_PID" 2>/dev/null
    fi
    rm -rf "$TUI_DIR"
}
trap tui_cleanup EXIT

tmx() { tmux -L "$TUI_SOCK" "$@"; }

tui_screen() { tmx capture-pane -p -t mps 2>/dev/null; }

fail() {
    echo "FAIL: $*" >&2
    echo "----- screen -----" >&2
    tui_screen >&2
    echo "----- stderr -----" >&2
    cat "$TUI_STDERR" >&2 2>/dev/null
    exit 1
}

pass() { echo "PASS: $*"; }

# Runs a predicate (a command) until it succeeds or the deadline passes.
wait_until() {
    local what=$1
    shift
    local end=$((SECONDS + TUI_DEADLINE))
    while ! "$@"; do
        [ "$SECONDS" -lt "$end" ] || fail "timed out waiting for $what"
        sleep 0.05
    done
}

screen_has() { tui_screen | grep -qF -- "$1"; }
screen_lacks() { ! screen_has "$1"; }
screen_matches() { tui_screen | grep -qE -- "$1"; }

wait_for() { wait_until "'$1' on screen" screen_has "$1"; }
wait_gone() { wait_until "'$1' to leave the screen" screen_lacks "$1"; }
wait_match() { wait_until "a line matching /$1/" screen_matches "$1"; }

# The screen row (0-based) holding text, or nothing.
screen_row() { tui_screen | grep -nF -- "$1" | head -n 1 | cut -d: -f1 | awk '{print $1 - 1}'; }

# term_print SESSION TEXT: TEXT printed in a tmux session of its own (the test's server), waited
# for (the pane sets its title once the text is out). The caller reads it, then kills SESSION.
term_print() {
    local f="$TUI_DIR/print.$RANDOM" i
    printf '%s\033]2;printed\033\\' "$2" >"$f"
    tmx new-session -d -s "$1" -x 500 -y 3 "cat $(printf '%q' "$f"); exec sleep 60"
    for ((i = 0; i < 200; i++)); do
        if [ "$(tmx display-message -p -t "$1" '#{pane_title}')" = printed ]; then
            rm -f "$f"
            return 0
        fi
        sleep 0.05
    done
    rm -f "$f"
    fail "tmux did not show the text printed in session $1"
}

# The columns this terminal (the test's tmux) gives text: where does the cursor stop after it?
# Its first line only.
term_columns() {
    term_print measure "$1"
    tmx display-message -p -t measure '#{cursor_x}'
    tmx kill-session -t measure
}

# What this terminal keeps of text, captured after printing it (tmux keeps at most 21 bytes of
# a joined sequence, for one). Its first line only.
term_shows() {
    term_print shown "$1"
    tmx capture-pane -p -t shown | head -n 1 | sed 's/ *$//'
    tmx kill-session -t shown
}

keys() { tmx send-keys -t mps "$@"; }
# Literal text (no key-name lookup), e.g. a search query.
type_text() { tmx send-keys -t mps -l -- "$1"; }

# DIALECT (guide or openapi; ctest runs some suites with each) is the sandbox's dialect unless a
# test names one; dialect_is tells a test which screens to expect where the two differ.
DIALECT=${DIALECT:-}
dialect_is() { [ "${DIALECT:-guide}" = "$1" ]; }

# Starts the sandbox on a free loopback port; extra arguments go to `mpsdash sandbox`.
sandbox_start() {
    rm -f "$TUI_DIR/port"
    "$MPSDASH" sandbox --port 0 --port-file "$TUI_DIR/port" --request-log "$SANDBOX_LOG" \
        ${DIALECT:+--dialect "$DIALECT"} "$@" \
        >"$TUI_DIR/sandbox.out" 2>&1 &
    TUI_SANDBOX_PID=$!
    wait_until "the sandbox's port file" test -s "$TUI_DIR/port"
    SANDBOX_URL="http://127.0.0.1:$(cat "$TUI_DIR/port")"
}

# Control API of the sandbox (faults, mutations, state, log).
sandbox_ctl() {
    local method=$1 path=$2 body=${3:-}
    if [ -n "$body" ]; then
        curl -fsS -X "$method" -H 'Content-Type: application/json' --data "$body" "$SANDBOX_URL$path"
    else
        curl -fsS -X "$method" -H 'Content-Type: application/json' "$SANDBOX_URL$path"
    fi
}

# Requests in the sandbox's log matching an extended regex.
requests_matching() {
    [ -f "$SANDBOX_LOG" ] || { echo 0; return; }
    grep -cE -- "$1" "$SANDBOX_LOG" || true
}

# tui_start W H [mpsdash args...]: the dashboard in a fresh tmux server, stderr to $TUI_STDERR.
# A test that starts it again kills the old server first (tmx kill-server).
# Without --demo or --profile arguments it is pointed at the sandbox as Lucky Shrub.
tui_start() {
    local w=$1 h=$2
    shift 2
    local args=("$@")
    local has_target=0 a
    for a in "${args[@]}"; do
        case $a in --demo | -p | --profile | -c | --config | --graph-url) has_target=1 ;; esac
    done
    if [ "$has_target" = 0 ]; then
        args=(--graph-url "$SANDBOX_URL" --app-id "$APP_A" --token-env TOKEN_A "${args[@]}")
    fi
    local cmd
    # TUI_ENV: extra VAR=value words for the dashboard's environment (TERM, NO_COLOR...).
    cmd="exec env ${TUI_ENV:-} $(printf '%q ' "$MPSDASH" "${args[@]}") 2>$(printf '%q' "$TUI_STDERR")"
    tmx -f /dev/null start-server \; \
        set-option -g status off \; \
        set-option -g remain-on-exit on \; \
        set-option -s escape-time 0 \; \
        set-option -g default-terminal tmux-256color \; \
        new-session -d -s mps -x "$w" -y "$h" "$cmd"
}

tui_resize() { tmx resize-window -t mps -x "$1" -y "$2"; }

pane_dead() { [ "$(tmx display-message -p -t mps '#{pane_dead}' 2>/dev/null)" = 1 ]; }

# Waits for the dashboard to exit; fails unless it exited with status 0 and wrote nothing to
# stderr (sanitizer reports land there).
tui_expect_clean_exit() {
    wait_until "the dashboard to exit" pane_dead
    local st sig
    st=$(tmx display-message -p -t mps '#{pane_dead_status}')
    sig=$(tmx display-message -p -t mps '#{pane_dead_signal}')
    [ -z "$sig" ] || fail "the dashboard died of signal $sig"
    # tmux 3.3 leaves the status empty for 0.
    [ "${st:-0}" = 0 ] || fail "the dashboard exited with status $st"
    if [ -s "$TUI_STDERR" ]; then
        fail "the dashboard wrote to stderr"
    fi
}

# Selects a solution by id with the incremental search, and checks the detail pane shows it.
# Searches for a solution id until its detail pane shows. A search is one-shot (as in less or
# tig): typed while the list is still loading it may find nothing, so it is typed again.
select_id() {
    local end=$((SECONDS + TUI_DEADLINE)) tries
    while :; do
        keys /
        type_text "$1"
        keys Enter
        for tries in $(seq 40); do
            screen_has "id          $1" && return 0
            sleep 0.05
        done
        [ "$SECONDS" -lt "$end" ] || fail "timed out selecting solution $1"
    done
}
