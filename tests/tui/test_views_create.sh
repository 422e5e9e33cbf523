#!/usr/bin/env bash
# The create form (c): the name is checked as it is typed and a 1- or 76-character name is
# refused before any request; a valid form is reviewed, sent once, and the new solution shows
# as Pending, selected; the server's refusal (MESSAGING on both sides) is shown verbatim with
# its code and fbtrace_id; --readonly opens no form and sends nothing.
. "$MPSDASH_TESTS/tui/lib.sh"
. "$MPSDASH_TESTS/tui/views-lib.sh"

posts() { log_count '"method":"POST"' '/whatsapp_business_solution'; }

sandbox_start
tui_start 200 50
wait_for "Social OVD with Lucky Shrub"

keys c
wait_for "Create a solution"
type_text "X"
wait_for "1/75"
screen_has "too short: at least 2 characters" || fail "a 1-character name is not flagged"
keys Enter
wait_for "too short: at least 2 characters: nothing was sent"
screen_lacks "review what will be sent" || fail "a 1-character name reached the review"
long=$(printf 'N%.0s' $(seq 1 75))
type_text "$long"
wait_for "76/75"
screen_has "too long: at most 75 characters (1 over)" || fail "a 76-character name is not flagged"
keys Enter
wait_for "too long: at most 75 characters (1 over): nothing was sent"
screen_lacks "review what will be sent" || fail "a 76-character name reached the review"
[ "$(posts)" = 0 ] || fail "a request was sent for an invalid name"
keys BSpace
wait_for "75/75"
pass "1- and 76-character names refused as typed and on Enter, no request sent"

# A valid form: name, partner app id (digits only), MANAGE for the owner, DEVELOP for the partner.
keys C-u
type_text "Lucky Shrub Create Test"
wait_for "23/75"
keys Tab
type_text "6375x" # the x is refused, not typed
wait_for "digits only: an app id is a number"
type_text "76208107267"
wait_for "Social Overdrive"
if dialect_is openapi; then # the spec's rule: MESSAGING, the 14th permission, on one side only
    keys Down
    for _ in $(seq 1 13); do keys Down; done
    keys Right Space
    want_owner="none" want_partner="MESSAGING"
else
    keys Down Space Right Down Space
    want_owner="MANAGE" want_partner="DEVELOP"
fi
keys Enter
wait_for "review what will be sent"
screen_has "name                 Lucky Shrub Create Test  (23 characters)" || fail "review: name"
screen_has "only MESSAGING is configurable, and exactly one side holds it" ||
    fail "review: what Meta documents about permissions"
screen_has "partner app          637576208107267 (Social Overdrive)" || fail "review: partner app"
screen_has "owner permissions    $want_owner" || fail "review: owner permissions"
screen_has "partner permissions  $want_partner" || fail "review: partner permissions"
[ "$(posts)" = 0 ] || fail "the review sent something"
keys y
wait_for "created \"Lucky Shrub Create Test\""
# (a spec server has no partners data: the other app of an owned solution is not known there)
if dialect_is openapi; then other_app=""; else other_app="Social Overdrive"; fi
wait_match "^> +Lucky Shrub Create Test +Pending +owner +$other_app"
[ "$(posts)" = 1 ] || fail "expected exactly one POST, the log has $(posts)"
n=$(sandbox_ctl GET /__sandbox/state | grep -o '"name":"Lucky Shrub Create Test"' | wc -l)
[ "$n" = 1 ] || fail "the sandbox holds $n solutions of that name"
pass "a valid form creates exactly one solution, shown Pending and selected"

# MESSAGING on both sides: the sandbox (like Meta's OpenAPI file) refuses; shown verbatim.
keys c
wait_for "Create a solution"
type_text "Both sides message"
keys Tab
type_text "637576208107267"
keys Down
for _ in $(seq 1 13); do keys Down; done # MESSAGING is the 14th permission
keys Space Right Space Enter
wait_for "Note: both sides hold MESSAGING"
keys y
if dialect_is openapi; then
    wait_for "The server refused it: (#100) Invalid Permissions for either of the partners: exactly one of them must hold MESSAGING"
else
    wait_for "The server refused it: (#100) MESSAGING can be granted to exactly one side of a solution"
fi
screen_matches "code 100.*fbtrace_id SBX" || fail "no code and fbtrace_id with the refusal"
screen_has "Create a solution" || fail "the form closed on a refusal"
[ "$(posts)" = 2 ] || fail "expected a second POST, the log has $(posts)"
keys Escape
wait_for "create cancelled: nothing was sent"
pass "the server's MESSAGING refusal is shown with its code and fbtrace_id"

keys q
tui_expect_clean_exit
grep -q '"action":"create","outcome":"ok"' "$AUDIT_LOG" || fail "no audit line for the creation"
grep -q '"action":"create","outcome":"error"' "$AUDIT_LOG" || fail "no audit line for the refusal"
pass "both attempts are in the audit log"

# --readonly: the dispatcher refuses before any form.
tmx kill-server
tui_start 200 50 --readonly
wait_for "Social OVD with Lucky Shrub"
keys c
wait_for "read-only: create is not sent"
screen_lacks "Create a solution" || fail "the form opened in read-only mode"
[ "$(posts)" = 2 ] || fail "read-only mode sent a POST"
keys q
tui_expect_clean_exit
pass "--readonly blocks create"
