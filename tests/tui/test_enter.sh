#!/usr/bin/env bash
# Enter opens, Esc goes back, one level at a time (as in k9s and tig): Enter on the list gives
# the detail pane the moving keys, Enter again opens the solution's partners, Enter on a partner
# narrows the list to the solutions that app is in; Esc undoes each step.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
tui_start 80 24 # the detail pane below the list, too short for the whole detail
wait_for "All 42"
select_id 440100000000015 # Lucky Shrub Garden Alerts, Social Overdrive its partner
pos=$(tui_screen | tail -n 1 | grep -oE '[0-9]+ of 42')
[ -n "$pos" ] || fail "no position on the status line"

keys Enter
wait_for "detail · Enter partners · Esc list"
wait_match "^  j scroll  Enter partners  Esc list "
keys j
wait_for "↑ K" # the pane scrolled, not the list
wait_until "the selection to stay on the solution" screen_has "$pos"
screen_matches "^> Lucky Shrub Garden Ale" || fail "j moved the list's selection with the detail focused"
keys g
wait_gone "↑ K"
pass "Enter gives the detail pane the moving keys"

keys Escape
wait_gone "detail · Enter partners"
keys j
wait_until "j to move the list again" bash -c "! tmux -L $TUI_SOCK capture-pane -p -t mps | grep -q '$pos'"
keys k
wait_for "$pos"
pass "Esc gives them back to the list"

keys Enter
wait_for "detail · Enter partners"
keys Enter
wait_for "Partners of Lucky Shrub Garden Alerts (440100000000015)"
wait_for "Enter its solutions"
wait_match "^> Social Overdrive +$APP_B"
pass "Enter on the focused detail opens the solution's partners"

# The solutions Social Overdrive is in, as the CLI lists them (the other app's column).
want=$("$MPSDASH" list --graph-url "$SANDBOX_URL" --app-id "$APP_A" --token-env TOKEN_A \
    2>/dev/null | cut -f5 | grep -cx "Social Overdrive")
[ "$want" -ge 2 ] || fail "the sandbox lists $want solutions with Social Overdrive"
keys Enter
wait_for "the solutions app Social Overdrive ($APP_B) is in"
wait_for "narrow: $APP_B"
tui_screen | sed -n 2p | grep -q "^  All $want " ||
    fail "the list is not narrowed to Social Overdrive's $want solutions: $(tui_screen | sed -n 2p)"
screen_lacks "Partners of" || fail "the partners view stayed"
pass "Enter on a partner: the list narrowed to the solutions its app is in"

wait_gone "the solutions app Social Overdrive" # Esc would put the notice away first
keys Escape
wait_for "All 42"
screen_lacks "narrow:" || fail "Esc left the narrowing's chip"
pass "Esc shows every solution again"

# Beside the list (wide terminals) the focused pane says so on its first line.
tui_resize 200 30
keys Enter
wait_match "│ detail · Enter partners · Esc list"
keys Escape
wait_gone "detail · Enter partners"
pass "the focus shows on the pane beside the list"

keys q
tui_expect_clean_exit
