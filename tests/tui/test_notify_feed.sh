#!/usr/bin/env bash
# Never miss a request, also between refreshes: the events feed (the profile's events_file,
# written by the webhook receiver) brings a new request with no refresh at all, and the bell
# rings, the status line says so and the Pending tab is marked until shown.
. "$MPSDASH_TESTS/tui/lib.sh"

EVENTS="$TUI_DIR/events.jsonl"
: >"$EVENTS"
sandbox_start --events-file "$EVENTS" # the sandbox delivers its changes there
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
cat >"$XDG_CONFIG_HOME/mpsdash/config" <<CFG
refresh_interval = 0;
profiles = {
  shrub = { app_id = "$APP_A"; graph_url = "$SANDBOX_URL"; token_env = "TOKEN_A";
            events_file = "$EVENTS"; };
};
CFG
chmod 600 "$XDG_CONFIG_HOME/mpsdash/config"

RAW="$TUI_DIR/raw-output"
tui_start 200 50 -p shrub
tmx pipe-pane -o -t mps "cat >>'$RAW'"
wait_for "All 42"
sleep 0.3
if grep -q $'\a' "$RAW" 2>/dev/null; then fail "the first load rang the bell"; fi

# Social Overdrive invites Lucky Shrub; nothing is refreshed (refresh_interval = 0, no R).
XDG_STATE_HOME="$TUI_DIR/b-state" "$MPSDASH" --graph-url "$SANDBOX_URL" --app-id "$APP_B" \
    --token-env TOKEN_B create --name "Invitation Through The Feed" --partner-app "$APP_A" \
    --owner-perm MESSAGING --yes >/dev/null 2>&1 || fail "as B: create failed"
wait_for "a new request awaits you: Invitation Through The Feed"
wait_until "the bell in the output" grep -q $'\a' "$RAW"
screen_matches "Pending 1[0-9] ●" || fail "the Pending tab is not marked"
pass "a request the events feed brings rings the bell and marks the Pending tab, no refresh needed"
keys 2
wait_until "the Pending tab's mark to go" screen_lacks "●"
keys q
tui_expect_clean_exit
