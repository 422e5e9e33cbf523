#!/usr/bin/env bash
# Terminals that cannot draw the dashboard: TERM=dumb (no cursor addressing), an unknown TERM
# and no TERM at all each get one clear line on stderr and exit status 2, never a blank screen.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start

# Runs the dashboard in a tmux pane with TERM set as given ("-u TERM": unset); its exit status
# goes to a file, since tmux may mark a quickly exiting pane dead before recording its status.
run_with_term() {
    rm -f "$TUI_DIR/status"
    local cmd
    cmd="env $1 $(printf '%q ' "$MPSDASH" --graph-url "$SANDBOX_URL" --app-id "$APP_A" \
        --token-env TOKEN_A) 2>$(printf '%q' "$TUI_STDERR"); echo \$? >$(printf '%q' "$TUI_DIR/status")"
    tmx -f /dev/null start-server \; set-option -g status off \; \
        set-option -g default-terminal tmux-256color \; \
        new-session -d -s "term$RANDOM" -x 80 -y 24 "$cmd"
    wait_until "the dashboard to exit ($1)" test -s "$TUI_DIR/status"
}

refused_with() { # TERM words for env, then the text stderr must hold
    local env_words=$1 text=$2
    run_with_term "$env_words"
    local st
    st=$(cat "$TUI_DIR/status")
    [ "$st" = 2 ] || fail "$env_words: exit status $st, not 2"
    [ "$(grep -c . "$TUI_STDERR")" = 1 ] || fail "$env_words: not one line: $(cat -v "$TUI_STDERR")"
    grep -q -- "$text" "$TUI_STDERR" || fail "$env_words: stderr lacks '$text'"
    grep -q "set TERM" "$TUI_STDERR" || fail "$env_words: no advice"
    [ "$(requests_matching whatsapp_business_solutions)" = 0 ] || fail "$env_words: the API was called"
    pass "$env_words: one line, exit 2"
}

refused_with TERM=dumb "cannot move the cursor"
refused_with TERM=no-such-terminal "cannot use terminal type 'no-such-terminal'"
refused_with "-u TERM" "cannot use terminal type '(unset)'"
tmx kill-server

# A real terminal type still draws.
TUI_ENV="TERM=xterm-256color" tui_start 80 24
wait_for "All 42"
pass "TERM=xterm-256color draws"
