#!/usr/bin/env bash
# Re-check before acting: permissions changed on the server while the dialog was open -> no
# POST, and the screen says what changed. A POST whose answer never comes is reconciled: the
# screen shows what the server now holds, and nothing is sent twice.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
tui_start 200 50
wait_for "Social OVD with Lucky Shrub"
select_id 795033096057724

posts() { requests_matching "\"method\":\"POST\".*/$1\""; }

keys a
wait_for "Accept solution request"
# What changes must be something the dialog showed: a spec server (openapi) tells no partner
# permissions, so there the owner's change.
if dialect_is openapi; then changed_side=owner_permissions; else changed_side=partner_permissions; fi
sandbox_ctl POST /__sandbox/mutate \
    '{"id":"795033096057724","'$changed_side'":["MANAGE","DEVELOP","MANAGE_BILLING"]}' >/dev/null
keys y
wait_for "Not sent: the solution changed"
screen_has "MANAGE_BILLING" || fail "the screen does not say which permission appeared"
[ "$(posts accept)" = 0 ] || fail "a POST /accept was sent for a changed solution"
grep -q '"outcome":"changed"' "$AUDIT_LOG" || fail "the refused attempt is not in the audit log"
keys Escape
wait_gone "Not sent: the solution changed"
# The row now shows what the server holds: the new permission is in the matrix.
if dialect_is openapi; then wait_match "│ MANAGE_BILLING +✓ +\?"; else wait_match "│ MANAGE_BILLING +· +✓"; fi
pass "changed permissions: no POST, the change is shown, the row is updated"

# The POST is applied but the connection drops before the answer: the outcome is unknown, the
# dashboard asks the server (GET) instead of posting again, and shows the state it found.
sandbox_ctl POST /__sandbox/fault '{"match":"POST /accept","kind":"reset","times":1,"apply":true}' >/dev/null
keys a
wait_for "Accept solution request"
keys y
wait_for "no answer came"
wait_match "> Social OVD with Lucky Sh.* +Active"
# What the read-back found leads the message, so that it survives a narrow terminal.
wait_for "is Active: the change was made"
# The message does not contradict itself: no "may or may not have been applied" after it.
screen_lacks "may or may not" || fail "the message contradicts the read-back's verdict"
[ "$(posts accept)" = 1 ] || fail "the POST was sent $(posts accept) times"
grep -q '"outcome":"unknown"' "$AUDIT_LOG" || fail "no audit line with an unknown outcome"
grep -q 'read back: Active, the change was made' "$AUDIT_LOG" ||
    fail "the audit line lacks the read-back's verdict"
pass "unknown outcome: one POST, the state the server holds is shown"

# The connection drops before the POST is applied: the message says the change was not made.
keys Escape
sandbox_ctl POST /__sandbox/fault '{"match":"POST /reject","kind":"reset","times":1}' >/dev/null
select_id 440100000000006
keys x
wait_for "Reject solution request"
keys y
wait_for "is Pending: the change was not made"
[ "$(posts reject)" = 1 ] || fail "the POST was sent $(posts reject) times"
pass "unknown outcome, not applied: the message says so"
keys q
tui_expect_clean_exit
