#!/usr/bin/env bash
# --readonly: [RO] in the header, no action opens a dialog, the status line says read-only, and
# no POST ever reaches the server.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
tui_start 200 50 --readonly
wait_for "Social OVD with Lucky Shrub"
wait_for "[RO]"
select_id 795033096057724
screen_has "read-only" || fail "the detail pane does not mark actions read-only"
for k in a x D A X; do
    keys "$k"
    wait_for "read-only:"
    screen_lacks "[ Cancel ]" || fail "$k opened a dialog in read-only mode"
    keys Escape
    wait_gone "read-only:"
done
# The command line offers no way around it either.
keys :
type_text "refresh"
keys Enter
wait_until "the reload" screen_matches "just now"
# A Graph batch of GETs (POST /, sent to a server without partners{} to learn whether it has
# batches) reads only; every call that changes something is a POST to a versioned path.
[ "$(requests_matching '"method":"POST","path":"/v')" = 0 ] || fail "a POST was sent in read-only mode"
[ ! -s "$AUDIT_LOG" ] || fail "read-only mode wrote audit lines"
pass "read-only: no dialog, no request, [RO] shown"

# The help marks every key that would change something, create included.
keys c
wait_for "read-only: create is not sent"
screen_lacks "Create a solution" || fail "c opened the create form in read-only mode"
keys ?
wait_for "Help  (Esc"
keys G
wait_match "create a solution \(form, review, send\) \(read-only\)"
screen_matches "accept the solution request \(read-only\)" || keys g
wait_match "accept the solution request \(read-only\)"
keys Escape
wait_gone "Help  (Esc"
pass "the help marks create and the actions read-only"
keys q
tui_expect_clean_exit
