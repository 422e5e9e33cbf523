#!/usr/bin/env bash
# The status area tells the truth: an operation in flight says what it does, for how long and its
# deadline for as long as it runs, and goes when it ends; an error stands above the key hints
# (never over them) until a key after it was shown.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
tui_start 120 40
wait_for "All 42"
select_id 795033096057724

# An accept whose answer takes 7 s: the line stays past the 5 s a notice lasts.
sandbox_ctl POST /__sandbox/fault '{"match":"POST /accept","kind":"latency","ms":7000,"times":1}' >/dev/null
keys a
wait_for "Accept solution request"
keys y
wait_match '^ accept "Social OVD with Lucky Shrub": sent [0-9]+ s ago, deadline [0-9]+ s *$'
TUI_DEADLINE=20 wait_match '^ accept "Social OVD with Lucky Shrub": sent [6-9] s ago, deadline'
screen_has "/ search" || fail "the operation's line hid the key hints"
pass "an accept in flight says what it does, for how long and its deadline, past 5 s"
wait_for "is now Active"
screen_lacks "sent " || fail "the accept's line stayed after it ended"
pass "the line goes when the accept ends"

# A reload whose answer takes 3 s.
sandbox_ctl POST /__sandbox/fault '{"match":"GET","kind":"latency","ms":3000,"times":1}' >/dev/null
keys R
wait_match '^ loading the solutions: [1-9] s, deadline [0-9]+ s *$'
pass "a reload in flight says so with its time"
wait_gone "loading the solutions"
sandbox_ctl DELETE /__sandbox/fault >/dev/null
pass "... and the line goes when the reload ends"

# An error stands above the hints until the next key.
keys :
type_text "sort bogus"
keys Enter
wait_match "^ sort: .*bogus"
screen_has "/ search" || fail "the error hid the key hints"
pass "an error stands above the key hints"
sleep 0.3
screen_matches "^ sort: .*bogus" || fail "the error went by itself"
keys j
wait_until "the error to be put away by a key" bash -c "! tmux -L $TUI_SOCK capture-pane -p -t mps | grep -q '^ sort: '"
pass "a key after the error puts it away"

keys q
tui_expect_clean_exit
