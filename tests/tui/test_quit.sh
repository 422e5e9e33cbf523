#!/usr/bin/env bash
# Quitting never hides an action: q while an accept is in flight asks (Wait / Quit anyway).
# Wait quits once the answer is in; Quit anyway leaves at once. Either way stderr says what
# became of every request that was in flight, and nothing is sent twice.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
posts() { requests_matching "\"method\":\"POST\".*/$1\""; }
exit_status_is() { # tmux 3.3 leaves the status empty for 0
    local st
    st=$(tmx display-message -p -t mps '#{pane_dead_status}')
    [ "${st:-0}" = "$1" ]
}

# Wait: the dashboard stays until the accept's answer is in, then quits by itself.
tui_start 200 50
wait_for "Social OVD with Lucky Shrub"
select_id 795033096057724
# (the accept itself: a spec server also gets a batch probe, POST /, while the list loads)
sandbox_ctl POST /__sandbox/fault '{"match":"POST /accept","kind":"latency","ms":3000,"times":1}' >/dev/null
keys a
wait_for "Accept solution request"
keys y
keys q
wait_for "Quit while a request is in flight?"
screen_has 'accept "Social OVD with Lucky Shrub" (795033096057724)' || fail "the box does not name the request"
pane_dead && fail "q quit with an accept in flight"
keys Escape
wait_for "waiting for 1 request to finish, then quitting"
wait_until "the dashboard to quit once the accept is answered" pane_dead
exit_status_is 0 || fail "the dashboard exited with status $(tmx display-message -p -t mps '#{pane_dead_status}')"
grep -q 'Accept solution request: done, "Social OVD with Lucky Shrub" is now Active' "$TUI_STDERR" ||
    fail "stderr does not say what became of the accept: $(cat "$TUI_STDERR")"
[ "$(posts accept)" = 1 ] || fail "expected exactly one POST /accept"
pass "Wait: quits after the answer, and stderr says the accept was done"

# Quit anyway: leaves at once; stderr says the outcome is unknown and how to look.
tmx kill-server
sandbox_ctl POST /__sandbox/fault '{"match":"POST /reject","kind":"latency","ms":4000,"times":1}' >/dev/null
tui_start 200 50
wait_for "Social OVD with Lucky Shrub"
select_id 19702253086782
keys x
wait_for "Reject solution request"
keys y
keys q
wait_for "Quit while a request is in flight?"
keys y
wait_until "the dashboard to quit" pane_dead
grep -q 'reject "Social OVD with Lucky Shrub" (19702253086782) was still in flight' "$TUI_STDERR" ||
    fail "stderr does not report the request in flight: $(cat "$TUI_STDERR")"
grep -q "mpsdash show 19702253086782" "$TUI_STDERR" || fail "stderr does not say how to look"
grep -q '"action":"reject".*"outcome":"unknown"\|"outcome":"unknown".*"action":"reject"' "$AUDIT_LOG" ||
    fail "the abandoned reject is not audited as unknown"
# The sandbox logs the delayed POST once it answers it.
one_reject() { [ "$(posts reject)" = 1 ]; }
wait_until "the one POST /reject in the sandbox's log" one_reject
pass "Quit anyway: leaves at once, stderr and the audit log say the outcome is unknown"

# The next start reads back the reject left in flight (the write-ahead audit): the status line
# says so, and stderr keeps the one line for after the screen is gone.
tmx kill-server
tui_start 200 50
wait_for "audit: 1 earlier change left without an outcome read back"
grep -q "'reject' of 19702253086782 .*the change was made; recorded in the audit log" "$TUI_STDERR" ||
    fail "stderr does not say what the reject came to: $(cat "$TUI_STDERR")"
pass "the next start reads back the abandoned reject and says so"

# Nothing in flight: q quits at once, silently.
tmx kill-server
tui_start 200 50
wait_for "Social OVD with Lucky Shrub"
keys q
tui_expect_clean_exit
pass "nothing in flight: q quits at once"
