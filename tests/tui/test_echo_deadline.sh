#!/usr/bin/env bash
# The dashboard and a server that misbehaves with secrets and time: a solution named with the
# access token shows *** on screen; a server that trickles its answer is given up on at the
# deadline (--timeout) with a message that names it.
. "$MPSDASH_TESTS/tui/lib.sh"

sed "s/\"Accept me\"/\"$TOKEN_A\"/" "$MPSDASH_TESTS/integration/scenarios/transitions.json" \
    >"$TUI_DIR/named.json"
sandbox_start --scenario "$TUI_DIR/named.json"

tui_start 200 50 --timeout 45
wait_for "Reject me"
screen_has "$TOKEN_A" && fail "the token is on screen"
screen_has "***" || fail "the solution named with the token is not shown masked"
pass "a name equal to the token is masked on screen"

# every GET trickles: a reload ends at the 45 s deadline... too long for a test: restart with 3
tmx kill-server
tui_start 200 50 --timeout 3
wait_for "Reject me"
sandbox_ctl POST /__sandbox/fault '{"match":"GET","kind":"trickle","ms":300,"times":-1}' >/dev/null
keys R
wait_for "no complete answer within the 3 s deadline"
pass "a trickling server is given up on at the deadline, and the message names it"
sandbox_ctl DELETE /__sandbox/fault >/dev/null
keys q
tui_expect_clean_exit
