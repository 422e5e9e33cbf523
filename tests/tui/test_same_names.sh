#!/usr/bin/env bash
# Same-named solutions are told apart: the list shows each id (whole where the width allows,
# else its last digits, the ones a typed confirmation asks for), and the selection stays on the
# solution acted on when the action moves it in the list.
. "$MPSDASH_TESTS/tui/lib.sh"

TWIN_A=795033096057724 # "Social OVD with Lucky Shrub", both Pending, both partner
TWIN_B=19702253086782

sandbox_start
tui_start 200 50
wait_for "Social OVD with Lucky Shrub"
wait_match "Social OVD with Lucky Shrub +Pending +partner +Social Overdrive +$TWIN_A "
wait_match "Social OVD with Lucky Shrub +Pending +partner +Social Overdrive +$TWIN_B "
screen_matches "OTHER APP +ID " || fail "no ID column at 200 columns"
pass "at 200 columns each twin shows its whole id"

tui_resize 120 40 # the narrowest width with the detail pane right of the list
wait_match "^  NAME .* ID +│ "
screen_matches "…[0-9]{4} │ " || fail "120 columns: no id's last digits before the detail pane"
if screen_matches "[^ ]│ "; then fail "120 columns: a list cell touches the detail pane's rule"; fi
pass "at 120 columns the id's last digits stand one column clear of the detail pane"

tui_resize 80 24
wait_match "^  NAME .* ID *$"
tui_resize 60 20
wait_match "^  NAME .* ID *$"
select_id $TWIN_A
wait_match "^> Social O.*Pending .*…${TWIN_A: -4} *$"
keys k # same names sort by id: the other twin is just above
wait_match "^> Social O.*…${TWIN_B: -4} *$"
pass "at 60 columns the id's last digits tell the twins apart"

tui_resize 80 24
keys : && type_text "sort state" && keys Enter
wait_match "^  NAME  .* STATE ↑"
select_id $TWIN_A
before=$(screen_row "…${TWIN_A: -4}")
keys a
wait_for "Accept solution request"
keys y
wait_until "the accepted twin to turn Active" screen_matches "^> Social O.*Active .*…${TWIN_A: -4} *$"
after=$(screen_row "…${TWIN_A: -4}")
[ "$before" != "$after" ] || fail "the accepted row did not move (row $before): the check proves nothing"
screen_has "id          $TWIN_A" || fail "the detail pane left the accepted solution"
select_id $TWIN_B
wait_match "^> Social O.*Pending .*…${TWIN_B: -4} *$"
pass "after an accept re-sorts the list, the selection stays on the accepted twin"

keys q
tui_expect_clean_exit
