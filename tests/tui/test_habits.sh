#!/usr/bin/env bash
# The keys htop, less and vim users reach for: F3 search, F6 sort, F10 quit, Ctrl-D/Ctrl-U and
# Space to page, all from the remappable key table (and so in the help).
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
tui_start 200 30
wait_for "All 42"
wait_for "1 of 42"

keys C-d
wait_until "Ctrl-D to page down" screen_matches " [2-9][0-9]* of 42 "
keys C-u
wait_for "1 of 42"
keys Space
wait_until "Space to page down" screen_matches " [2-9][0-9]* of 42 "
keys g
wait_for "1 of 42"
pass "Ctrl-D, Ctrl-U and Space page"

keys F6
wait_for "sorted by state"
pass "F6 sorts"

keys F3
type_text "Garden"
keys Enter
wait_until "F3 to search" screen_matches "^> Lucky Shrub Garden Alerts"
pass "F3 searches"

keys ?
wait_for "Help"
screen_has "F10" || fail "the help does not list F10"
screen_has "C-d" || fail "the help does not list C-d"
keys Escape
wait_gone "Help  (Esc"

keys F10
tui_expect_clean_exit
pass "F10 quits"
