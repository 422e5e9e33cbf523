#!/usr/bin/env bash
# One button order for every dialog and form: the button that backs out first, the one that goes
# ahead second, on one line ([ Cancel ]   [ Accept ]). Checked in the action dialogs (accept,
# reject, request, accept and reject deactivation), the quit question, the business token's
# confirmation, and the create form and its review.
. "$MPSDASH_TESTS/tui/lib.sh"
. "$MPSDASH_TESTS/tui/views-lib.sh"

sandbox_start
views_config

# The labels of the buttons on screen ("[ Word ]"; not "[x]" checkboxes), in reading order.
buttons_on_screen() { tui_screen | grep -oE '\[ [A-Z][A-Za-z ]* \]' | tr '\n' ' '; }

# expect_buttons BACK AHEAD WHAT: exactly those two buttons, BACK left of AHEAD on one line.
expect_buttons() {
    local back=$1 ahead=$2 what=$3
    wait_until "$what's buttons" screen_matches "\[ $back \] +\[ $ahead \]"
    local got
    got=$(buttons_on_screen)
    [ "$got" = "[ $back ] [ $ahead ] " ] || fail "$what: the buttons are $got"
    pass "$what: [ $back ] then [ $ahead ]"
}

tui_start 120 40 -p shrub
wait_for "All 42"

select_id 795033096057724
keys a
wait_for "Accept solution request"
expect_buttons Cancel Accept "the accept dialog"
keys n
wait_gone "Accept solution request"

keys x
wait_for "Reject solution request"
expect_buttons Cancel Reject "the reject dialog"
keys Escape
wait_gone "Reject solution request"

select_id 440100000000009 # Overdrive Loyalty Club: Lucky Shrub is asked to deactivate it
keys A
wait_for "Accept deactivation request"
expect_buttons Cancel "Accept deactivation" "the accept-deactivation dialog"
keys n
wait_gone "Accept deactivation request"
keys X
wait_for "Reject deactivation request"
expect_buttons Cancel "Reject deactivation" "the reject-deactivation dialog"
keys n
wait_gone "Reject deactivation request"

# The create form, then its review.
keys c
wait_for "Create a solution"
expect_buttons Cancel Review "the create form"
type_text "Button Order Test"
keys Tab
type_text "637576208107267"
wait_for "Social Overdrive"
keys Enter
wait_for "review what will be sent"
expect_buttons Back Create "the create review"
keys Escape Escape
wait_gone "Create a solution"

# The business token's confirmation (reveal).
select_id 303610109049230
keys b
wait_for "customer business id for a token"
type_text "6143763655652543"
keys Enter
wait_for "(masked)"
keys r
wait_for "Reveal the business token"
expect_buttons Cancel Reveal "the token's reveal confirmation"
keys n
wait_gone "Reveal the business token"
keys q

# The owner's request for deactivation.
keys :
type_text "profile overdrive"
keys Enter
wait_for "app Social Overdrive (637576208107267)"
select_id 440100000000007
keys D
wait_for "Request deactivation"
expect_buttons Cancel "Request deactivation" "the request-deactivation dialog"
keys n
wait_gone "can still onboard customers until they accept"

# Last, the quit question while an accept is in flight: Wait (n) quits once it is answered.
sandbox_ctl POST /__sandbox/fault '{"match":"POST /accept","kind":"latency","ms":3000,"times":1}' >/dev/null
keys :
type_text "profile shrub"
keys Enter
wait_for "app Lucky Shrub (21202248997039)"
select_id 795033096057724
keys a
wait_for "Accept solution request"
keys y
keys q
wait_for "Quit while a request is in flight?"
expect_buttons Wait "Quit anyway" "the quit question"
keys n
wait_until "the dashboard to quit once the accept is answered" pane_dead
grep -q 'is now Active' "$TUI_STDERR" || fail "stderr does not say what became of the accept"
