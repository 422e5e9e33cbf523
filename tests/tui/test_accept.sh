#!/usr/bin/env bash
# The accept and reject flows: the dialog shows what will happen with focus on Cancel; every way
# of cancelling sends nothing; y sends exactly one POST, the row turns Active (or Inactive) and
# the audit log gets a line without any token.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
tui_start 200 50 --trace "$TUI_DIR/trace"
wait_for "Social OVD with Lucky Shrub"
select_id 795033096057724

posts() { requests_matching "\"method\":\"POST\".*/$1\""; }

keys a
wait_for "Accept solution request"
screen_has "cannot be declined once accepted" || fail "the dialog does not say accept is final"
screen_has "Solution    Social OVD with Lucky Shrub" || fail "the dialog lacks the name"
screen_has "Id          795033096057724" || fail "the dialog lacks the id"
screen_has "Partner app Lucky Shrub (21202248997039)" || fail "the dialog lacks the partner app"
if dialect_is openapi; then # a spec server tells no partner permissions: the dialog says so
    screen_has "Lucky Shrub (partner app): not available from this server" ||
        fail "the dialog does not say the partner's grants are unknown"
else
    screen_has "Lucky Shrub (partner app): MANAGE, DEVELOP" || fail "the dialog lacks the grants"
fi
screen_has "[ Cancel ]" || fail "no Cancel button"
pass "the accept dialog shows name, id, partner app, permissions and finality"

keys Enter # focus starts on Cancel
wait_gone "Accept solution request"
keys a
wait_for "Accept solution request"
keys n
wait_gone "Accept solution request"
keys a
wait_for "Accept solution request"
keys Escape
wait_gone "Accept solution request"
wait_for "nothing was sent"
[ "$(posts accept)" = 0 ] || fail "cancelling sent a POST"
pass "Enter on the initial focus, n and Esc cancel without a request"

keys a
wait_for "Accept solution request"
keys y
wait_until "the row to turn Active" screen_matches "> Social OVD with Lucky Shrub +Active"
screen_has "state       Active" || fail "the detail pane does not say Active"
[ "$(posts accept)" = 1 ] || fail "expected exactly one POST /accept, log has $(posts accept)"
grep -q '"action":"accept"' "$AUDIT_LOG" || fail "no audit line for accept"
grep '"action":"accept"' "$AUDIT_LOG" | grep -q '"outcome":"ok"' || fail "audit outcome is not ok"
grep -q '795033096057724' "$AUDIT_LOG" || fail "audit line lacks the solution id"
# Who and where, and the success's fbtrace_id, as on the command line.
outcome=$(grep '"action":"accept"' "$AUDIT_LOG" | grep '"outcome":"ok"')
for field in user uid host graph_url fbtrace_id; do
    grep -q "\"$field\":" <<<"$outcome" || fail "the dashboard's audit line lacks $field: $outcome"
done
if grep -q "$TOKEN_A" "$AUDIT_LOG" "$SANDBOX_LOG"; then fail "a token reached a log"; fi
pass "y accepts: row Active, one POST /accept, audit line"

# Accept is no longer offered on an active solution; a tells why and opens nothing.
keys a
wait_for "accept is not offered"
screen_lacks "Accept solution request" || fail "a dialog opened for an active solution"

# Tab moves the focus to the action button; Enter then confirms (reject the twin request).
select_id 19702253086782
keys x
wait_for "Reject solution request"
screen_lacks "cannot be declined" || fail "reject claims to be final"
screen_has "must send a new request" || fail "the reject dialog does not say the partner must send a new request"
# Tab twice reaches the optional reason; letters there are text (y does not confirm)
screen_has "Reason (optional" || fail "the reject dialog has no reason field"
keys Tab Tab
type_text "Terms differ, sorry"
wait_for "Terms differ, sorry"
[ "$(posts reject)" = 0 ] || fail "typing a reason sent something"
keys Enter Tab Enter
wait_until "the row to turn Inactive" screen_matches "> Social OVD with Lucky Shrub +Inactive"
[ "$(posts reject)" = 1 ] || fail "expected exactly one POST /reject"
grep -q '"action":"reject"' "$AUDIT_LOG" || fail "no audit line for reject"
pass "reason typed, Tab + Enter rejects: row Inactive, one POST /reject, audit line"
keys q
tui_expect_clean_exit
# the trace is complete once the dashboard has exited
grep -q '^> {"request_type":"PARTNERSHIP_REQUEST",.*"rejection_reason":"Terms differ, sorry"}' \
    "$TUI_DIR/trace" || { grep -n -A2 "/reject" "$TUI_DIR/trace" >&2; fail "the POST /reject did not carry the typed reason as rejection_reason"; }
pass "the POST /reject carried the typed reason"

