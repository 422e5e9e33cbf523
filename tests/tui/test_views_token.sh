#!/usr/bin/env bash
# A customer's business token (b): fetched for a business typed in the prompt or named by an
# onboarding event, shown masked; revealing and copying each need a key and a confirmation;
# the audit log says it was fetched, and neither it, the trace nor the screen before the reveal
# holds the token.
. "$MPSDASH_TESTS/tui/lib.sh"
. "$MPSDASH_TESTS/tui/views-lib.sh"

SOLUTION=303610109049230 # Lucky Shrub Onboarding: active, Lucky Shrub is the partner
CUSTOMER=6143763655652543
TRACE="$TUI_DIR/trace.log"

sandbox_start
views_config
# The token the sandbox hands out (deterministic), fetched apart with its own audit log.
TOKEN=$(XDG_STATE_HOME="$TUI_DIR/cli-state" "$MPSDASH" --graph-url "$SANDBOX_URL" \
    --app-id "$APP_A" --token-env TOKEN_A business-token "$SOLUTION" --business "$CUSTOMER" \
    --reveal 2>/dev/null)
[ ${#TOKEN} -ge 20 ] || fail "could not learn the sandbox's token for the test"
MASKED="${TOKEN:0:4}…${TOKEN: -4}"
BEFORE=$(log_count '/access_token' "business_id=$CUSTOMER")

tui_start 160 45 -p shrub --trace "$TRACE"
tmx set-option -s set-clipboard on
wait_for "Lucky Shrub Onboarding"
select_id "$SOLUTION"

keys b
wait_for "customer business id for a token via Lucky Shrub Onboarding:"
type_text "61x" # the x is refused, not typed
wait_for "digits only"
type_text "43763655652543"
keys Enter
wait_for "(masked)"
screen_has "token      $MASKED" || fail "the masked token $MASKED is not shown"
screen_lacks "$TOKEN" || fail "the token is on screen unmasked"
screen_has "business token for business $CUSTOMER fetched (shown masked)" || fail "no status line"
pass "the token is fetched for the typed business and shown masked"

# Reveal: a confirmation first; cancelling it reveals nothing.
keys r
wait_for "Reveal the business token"
screen_lacks "$TOKEN" || fail "the token is on screen before the confirmation"
keys n
wait_gone "Reveal the business token"
screen_lacks "$TOKEN" || fail "cancelling revealed the token"
keys r
wait_for "Reveal the business token"
keys y
wait_for "$TOKEN"
screen_has "(revealed)" || fail "the view does not say the token is revealed"
keys r
wait_gone "$TOKEN"
wait_for "(masked)"
pass "revealed only after r and y, masked again with r"

# Copy: a confirmation first; Esc copies nothing, y puts it in tmux's paste buffer.
buffer_has() { tmx show-buffer 2>/dev/null | grep -qF -- "$1"; }
keys y
wait_for "Copy the business token"
keys Escape
wait_gone "Copy the business token"
buffer_has "$TOKEN" && fail "the token was copied without the confirmation"
keys y
wait_for "Copy the business token"
keys y
wait_for "copied the business token"
wait_until "the token in tmux's paste buffer" buffer_has "$TOKEN"
screen_lacks "$TOKEN" || fail "copying put the token on screen"
pass "copied (OSC 52) only after y and a confirmation"

keys Escape
wait_gone "Business token"

# From an onboarding event: the event names the solution and the customer's business.
now=$(date +%s)
printf '%s\n' "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"506914307656634\",\"time\":$now,\"changes\":[{\"field\":\"account_update\",\"value\":{\"event\":\"PARTNER_ADDED\",\"waba_info\":{\"waba_id\":\"102290129340398\",\"owner_business_id\":\"$CUSTOMER\",\"solution_id\":\"$SOLUTION\",\"solution_partner_business_ids\":[\"506914307656634\",\"520744086200222\"]}}}]}]}" >>"$EVENTS_FILE"
keys E
wait_for "PARTNER_ADDED"
keys b
wait_for "(masked)"
screen_has "Lucky Shrub Onboarding ($SOLUTION)" || fail "the event's solution is not named"
screen_lacks "$TOKEN" || fail "the token is on screen unmasked"
keys Escape
wait_gone "Business token"
[ "$(log_count '/access_token' "business_id=$CUSTOMER")" = $((BEFORE + 2)) ] ||
    fail "expected two token requests from the dashboard"
pass "b on an onboarding event fetches that customer's token"

keys q q
tui_expect_clean_exit

[ -s "$AUDIT_LOG" ] || fail "no audit log"
[ "$(grep -c "business token fetched for business $CUSTOMER" "$AUDIT_LOG")" = 2 ] ||
    fail "the audit log lacks the two fetches: $(cat "$AUDIT_LOG")"
grep -qF -- "$TOKEN" "$AUDIT_LOG" && fail "the token is in the audit log"
[ -s "$TRACE" ] || fail "no trace was written"
grep -q "access_token" "$TRACE" || fail "the trace lacks the token request"
grep -qF -- "$TOKEN" "$TRACE" && fail "the token is in the trace"
grep -qF -- "$TOKEN" "$TUI_STDERR" && fail "the token is on stderr"
pass "audit log and trace hold no token"
