#!/usr/bin/env bash
# The status area tells the truth: an operation in flight says what it does, for how long, which
# attempt while a GET is retried, and its deadline for as long as it runs, and goes when it ends; an error stands above the key hints
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

# A list page that fails with a transient error is asked for again: the line says which attempt
# it is on while the retry runs (both role chains fail once, then answer 4 s late).
LIST_PATH="GET /$APP_A/whatsapp_business_solutions"
sandbox_ctl POST /__sandbox/fault '{"match":"'"$LIST_PATH"'","kind":"status503","times":2}' >/dev/null
sandbox_ctl POST /__sandbox/fault '{"match":"'"$LIST_PATH"'","kind":"latency","ms":4000,"times":2}' >/dev/null
keys R
wait_match '^ loading the solutions: [0-9]+ s, attempt 2 of 5 \(transient\), deadline [0-9]+ s *$'
pass "a retried list page shows attempt 2 of 5 while the retry runs"
wait_gone "loading the solutions"
sandbox_ctl DELETE /__sandbox/fault >/dev/null

# An action's re-check GET is retried the same way, and the line names it; the POST goes once.
posts() { requests_matching "\"method\":\"POST\".*/$1/accept\""; }
select_id 19702253086782
keys a
wait_for "Accept solution request"
sandbox_ctl POST /__sandbox/fault '{"match":"GET /19702253086782","kind":"status503","times":1}' >/dev/null
sandbox_ctl POST /__sandbox/fault '{"match":"GET /19702253086782","kind":"latency","ms":4000,"times":1}' >/dev/null
keys y
wait_match '^ accept "Social OVD with Lucky Shrub": sent [0-9]+ s ago, re-check attempt 2 of 5 \(transient\), deadline [0-9]+ s *$'
pass "an action's retried re-check shows its attempt"
wait_gone "re-check attempt"
wait_for "is now Active"
[ "$(posts 19702253086782)" = 1 ] || fail "expected one POST /accept, the log has $(posts 19702253086782)"
pass "... and its POST was sent once"

# A POST that fails is never sent again: its read-back may be retried, and says so.
select_id 440100000000006
keys a
wait_for "Accept solution request"
sandbox_ctl POST /__sandbox/fault '{"match":"POST /440100000000006/accept","kind":"status503","times":1}' >/dev/null
sandbox_ctl POST /__sandbox/fault '{"match":"GET /440100000000006","kind":"status503","times":1,"skip":1}' >/dev/null
sandbox_ctl POST /__sandbox/fault '{"match":"GET /440100000000006","kind":"latency","ms":4000,"times":1,"skip":1}' >/dev/null
keys y
wait_match '^ accept "Overdrive Retail Bundle": sent [0-9]+ s ago, read-back attempt 2 of 5 \(transient\), deadline [0-9]+ s *$'
pass "a failed POST's read-back shows its attempt"
wait_gone "read-back attempt"
[ "$(posts 440100000000006)" = 1 ] || fail "a failed POST was sent again: $(posts 440100000000006) in the log"
pass "... and the failed POST was not sent again"
sandbox_ctl DELETE /__sandbox/fault >/dev/null

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
