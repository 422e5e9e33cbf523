#!/usr/bin/env bash
# The detail pane of the seed's solution: every owner and partner permission in the matrix, the
# partner app with its id, link and status, and the actions offered to the invited partner.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
tui_start 200 50
wait_for "Social OVD with Lucky Shrub"
select_id 795033096057724

screen_has "partner app Lucky Shrub (21202248997039)" || fail "partner app line missing"
# A spec server (openapi) has no partners data: the partner app is known to be ours (the
# solution came from the role=PARTNER listing); its link, status and permissions are not.
if dialect_is openapi; then
    partner_mark='\?'
    screen_has "status and permissions are not available from this server" ||
        fail "the pane does not say the partner's details are unavailable"
    screen_lacks "NOTIFICATION_SENT" || fail "a partner status was shown that the server never sent"
else
    partner_mark='✓'
    screen_has "https://www.facebook.com/games/?app_id=21202248997039" || fail "partner link missing"
    screen_has "NOTIFICATION_SENT" || fail "partner status missing"
fi
screen_has "owner app   Social Overdrive (637576208107267)" || fail "owner app missing"
screen_has "Pending  (status INITIATED, pending request PENDING_ACTIVATION)" || fail "raw state missing"
screen_has "permission" || fail "no permission matrix"
# The seed gives both sides the same ten permissions: each row has a check in both columns.
for perm in MANAGE DEVELOP MANAGE_TEMPLATES MANAGE_PHONE VIEW_COST MANAGE_EXTENSIONS \
    VIEW_PHONE_ASSETS MANAGE_PHONE_ASSETS VIEW_TEMPLATES VIEW_INSIGHTS; do
    screen_matches "│ $perm +✓ +$partner_mark" || fail "permission $perm is not held by both sides"
done
rows=$(tui_screen | grep -cE "│ [A-Z_]+ +✓ +$partner_mark *\$")
[ "$rows" = 10 ] || fail "expected 10 matrix rows, found $rows"
# Canonical order: MANAGE first, VIEW_INSIGHTS last.
first=$(screen_row "│ MANAGE   ")
last=$(screen_row "│ VIEW_INSIGHTS ")
[ "$first" -lt "$last" ] || fail "matrix rows are not in the canonical order"
pass "the matrix shows all 10 owner and partner permissions"

# The invited partner may accept or reject; the other actions say why not.
screen_matches "│ +a +accept *$" || fail "accept is not offered"
screen_matches "│ +x +reject *$" || fail "reject is not offered"
screen_matches "│ +D A X +not now: " || fail "the actions not offered have no reason"
pass "offered actions and reasons"

# Narrow terminal: the pane moves below the list and still shows it all (scrolling with J).
tui_resize 100 40
wait_until "the detail pane below the list" screen_matches "^ *─{20,}"
# Below the list the matrix comes first (what is reviewed), the apps' details after it.
screen_matches "^ permission +owner +partner" || fail "narrow: the matrix is not first"
keys J J J J J J J J J J J J
wait_for "partner app Lucky Shrub (21202248997039)"
pass "the detail pane sits below the list on a narrow terminal, matrix first, and scrolls"
keys q
tui_expect_clean_exit

# A server that refuses the partners{} expansion: the partners are fetched apart and the pane
# shows the same matrix. (A spec server has no other way to them: done above.)
dialect_is openapi && exit 0
kill "$TUI_SANDBOX_PID"; wait "$TUI_SANDBOX_PID" 2>/dev/null
tmx kill-server
sandbox_start --refuse-partner-fields
tui_start 200 50
wait_for "Social OVD with Lucky Shrub"
select_id 795033096057724
wait_for "partner app Lucky Shrub (21202248997039)"
rows=$(tui_screen | grep -cE '│ [A-Z_]+ +✓ +✓ *$')
[ "$rows" = 10 ] || fail "fallback: expected 10 matrix rows, found $rows"
pass "without field expansion the partners are fetched and the matrix is complete"
keys q
tui_expect_clean_exit
