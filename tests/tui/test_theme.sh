#!/usr/bin/env bash
# Colours: a 256-colour theme uses 256 colours where the terminal has them and its 8-colour
# fallbacks where it has 8; NO_COLOR and --theme mono draw with attributes only.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
ESC=$'\e'
# An SGR sequence that sets a foreground or background colour (basic, bright or 256).
COLOUR_RE="$ESC\\[([0-9]+;)*(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5;[0-9]+|48;5;[0-9]+)(;[0-9;]*)?m"
C256_RE="$ESC\\[([0-9]+;)*(38|48);5;[0-9]+"
styled() { tmx capture-pane -e -p -t mps; }

run() { # start with TUI_ENV and args, wait for the list
    tmx kill-server 2>/dev/null
    tui_start 160 40 "$@"
    wait_for "Social OVD with Lucky Shrub"
    wait_for "just now"
}
quit() {
    keys q
    tui_expect_clean_exit
}

TUI_ENV="TERM=tmux-256color" run --theme light
styled | grep -qE "$C256_RE" || fail "light on a 256-colour terminal uses no 256-colour value"
quit
pass "256 colours where the terminal has them"

TUI_ENV="TERM=screen" run --theme light
styled | grep -qE "$COLOUR_RE" || fail "light on an 8-colour terminal has no colour"
if styled | grep -qE "$C256_RE"; then fail "256-colour values sent to an 8-colour terminal"; fi
quit
pass "8-colour fallbacks on an 8-colour terminal"

TUI_ENV="NO_COLOR=1" run
if styled | grep -qE "$COLOUR_RE"; then fail "NO_COLOR still draws colours"; fi
styled | grep -qE "$ESC\\[([0-9]+;)*7m" || fail "NO_COLOR lost the reverse-video selection"
quit
pass "NO_COLOR: attributes only"

TUI_ENV="" run --theme mono
if styled | grep -qE "$COLOUR_RE"; then fail "--theme mono draws colours"; fi
keys ?
wait_for "Help  (Esc"
if styled | grep -qE "$COLOUR_RE"; then fail "--theme mono draws the help in colour"; fi
keys Escape
wait_gone "Help  (Esc"
quit
pass "--theme mono: attributes only"

TUI_ENV="" run
styled | grep -qE "$COLOUR_RE" || fail "the default theme draws no colour"
quit
tmx kill-server
tui_start 160 40 --theme no-such-theme
wait_until "the dashboard to refuse the theme" pane_dead
grep -q "no-such-theme" "$TUI_STDERR" || fail "an unknown theme is not named in the error"
pass "an unknown theme is refused with its name"
