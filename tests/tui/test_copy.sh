#!/usr/bin/env bash
# y copies the solution id with OSC 52 (tmux with set-clipboard on turns it into a paste
# buffer); e shows the Embedded Signup snippet with the solution id, and y there copies it.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
tui_start 200 50
tmx set-option -s set-clipboard on
wait_for "Social OVD with Lucky Shrub"
select_id 795033096057724

buffer_has() { tmx show-buffer 2>/dev/null | grep -qF -- "$1"; }
keys y
wait_for "copied the solution id"
wait_until "the id in tmux's paste buffer" buffer_has 795033096057724
[ "$(tmx show-buffer)" = 795033096057724 ] || fail "the buffer holds more than the id"
pass "y copies the id through OSC 52"

keys e
wait_for "Embedded Signup for Social OVD with Lucky Shrub"
screen_has "FB.login(" || fail "no FB.login call in the snippet"
screen_has "solutionID: '795033096057724'" || fail "the snippet lacks extras.setup.solutionID"
# The request is still Pending: the guide says Embedded Signup fails until it is Active.
screen_has "Warning: this solution is Pending" || fail "no warning for a Pending solution"
keys y
wait_until "the snippet in tmux's paste buffer" buffer_has "solutionID: '795033096057724'"
buffer_has "Warning" && fail "the warning was copied with the code"
keys Escape
wait_gone "Embedded Signup for"
pass "e shows the snippet with the solution id, warns it is Pending, and y copies the code only"

select_id 440100000000019
keys e
wait_for "Embedded Signup for Lucky Shrub Delivery Updates"
screen_lacks "Warning:" || fail "an Active solution's snippet carries a warning"
keys Escape
wait_gone "Embedded Signup for"
pass "an Active solution's snippet has no warning"
keys q
tui_expect_clean_exit
