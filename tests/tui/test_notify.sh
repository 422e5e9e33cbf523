#!/usr/bin/env bash
# Never miss a request: when a refresh brings a new request or deactivation request that awaits
# this app, the terminal bell rings (the default) and/or OSC 9 / OSC 777 notifications go out
# (the notify setting), the status line says so and the state's tab is marked until shown. The
# first load of a profile is not news.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
printf 'notify = [ "bell", "osc9", "osc777" ];\nrefresh_interval = 0;\n' \
    >"$XDG_CONFIG_HOME/mpsdash/config"
chmod 600 "$XDG_CONFIG_HOME/mpsdash/config"

RAW="$TUI_DIR/raw-output"
as_b() { # the partner app's side, through the CLI: it sends the requests
    XDG_STATE_HOME="$TUI_DIR/b-state" "$MPSDASH" --graph-url "$SANDBOX_URL" --app-id "$APP_B" \
        --token-env TOKEN_B "$@" --yes >/dev/null 2>&1 || fail "as B: $* failed"
}

tui_start 200 50
tmx pipe-pane -o -t mps "cat >>'$RAW'"
wait_for "Social OVD with Lucky Shrub"
wait_for "All 42"
sleep 0.3
if grep -q $'\a' "$RAW" 2>/dev/null; then fail "the first load rang the bell"; fi
pass "the first load is not news"

# Social Overdrive invites Lucky Shrub to a new solution; a refresh brings it.
as_b create --name "Fresh Request From Overdrive" --partner-app "$APP_A" --owner-perm MESSAGING
keys R
wait_for "a new request awaits you: Fresh Request From Overdrive"
screen_matches "Pending 1[0-9] ●" || fail "the Pending tab is not marked"
wait_until "the bell in the output" grep -q $'\a' "$RAW"
grep -q $'\e]9;mpsdash: a new request awaits you: Fresh Request From Overdrive\a' "$RAW" ||
    fail "no OSC 9 notification"
grep -q $'\e]777;notify;mpsdash;a new request awaits you: Fresh Request From Overdrive\a' "$RAW" ||
    fail "no OSC 777 notification"
pass "a new request: bell, OSC 9, OSC 777, status line, Pending tab marked"

# Shown: the mark goes.
keys 2
wait_until "the Pending tab's mark to go" screen_lacks "●"
pass "the mark goes once the Pending tab is shown"

# The owner asks to deactivate an active solution: a deactivation request awaits us now.
as_b request-deactivation 440100000000008
keys 1
keys R
wait_for "a new request awaits you: Overdrive Flash Sales"
screen_matches "Pending deact\. [0-9]+ ●" || fail "the Pending deactivation tab is not marked"
pass "a new deactivation request is announced and its tab marked"

# At 60 columns on the Other tab, Pending is scrolled off the tab bar: a new request there
# marks the bar's left end, so that it is not missed.
tui_resize 60 20
keys F # All -> Other
wait_until "the tabs scrolled to Other" bash -c "tmux -L $TUI_SOCK capture-pane -p -t mps | sed -n 2p | grep -q 'Other'"
tui_screen | sed -n 2p | grep -q 'Pend ' && fail "the Pending tab is on the bar: nothing to test"
as_b create --name "Second Request From Overdrive" --partner-app "$APP_A" --owner-perm MESSAGING
keys R
wait_until "the mark at the bar's left end" bash -c "tmux -L $TUI_SOCK capture-pane -p -t mps | sed -n 2p | grep -q '^ ● '"
keys f # back to All: the Pending tab is on the bar again, with its own mark
wait_match "Pend [0-9]+ ●"
tui_resize 200 50
pass "a tab scrolled off a narrow bar still shows it has an unseen request"

# A refresh that brings nothing new is silent.
bells=$(tr -cd '\a' <"$RAW" | wc -c)
keys R
sleep 1
[ "$(tr -cd '\a' <"$RAW" | wc -c)" = "$bells" ] || fail "a refresh with nothing new rang"
pass "nothing new: no bell"
keys q
tui_expect_clean_exit
