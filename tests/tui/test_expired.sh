#!/usr/bin/env bash
# An expired token (190/463): a clear message with what to do; the dashboard stays usable.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
tui_start 160 40 --token-env TOKEN_EXPIRED --graph-url "$SANDBOX_URL" --app-id "$APP_A"
wait_for "190"
screen_matches "(expired|token)" || fail "the message does not name the token problem"
screen_has "463" || fail "the subcode is not shown"
pass "expired token at start: clear message"
# Usable: help opens and closes, the filter moves, the command line answers.
keys ?
wait_for "Help"
keys Escape
wait_gone "Help  (Esc"
keys :
type_text "sort state"
keys Enter
wait_for "sorted by state"
keys R
wait_for "190"
keys q
tui_expect_clean_exit

# At 80x24, the common ssh window, the advice is not cut off by the server's long message.
tmx kill-server
tui_start 80 24 --token-env TOKEN_EXPIRED --graph-url "$SANDBOX_URL" --app-id "$APP_A"
wait_for "access token has expired"
screen_has "generate a new one" && screen_has "update the token source" ||
    fail "80x24: the expired-token advice is cut"
pass "80x24: the expired token's advice is on screen"
keys q
tui_expect_clean_exit

# The token expires while running: the reload reports it, the list already shown stays.
tmx kill-server
tui_start 160 40
wait_for "Social OVD with Lucky Shrub"
sandbox_ctl POST /__sandbox/fault '{"match":"GET","kind":"expired","times":-1}' >/dev/null
keys R
wait_for "190"
screen_has "All 42 │" || fail "the list vanished after the error"
keys j
wait_for "2 of 42"
sandbox_ctl DELETE /__sandbox/fault >/dev/null
keys R
wait_gone "190"
pass "expiry while running: reported, the list stays, a later reload clears it"
keys q
tui_expect_clean_exit
