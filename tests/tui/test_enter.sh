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
if dialect_is openapi; then
    # Meta's OpenAPI file has no partners edge: the view says so, and Esc goes back.
    wait_for "no partners data from this server"
    pass "Enter on the focused detail opens the partners view, which says the server has none"
    keys Escape
    wait_for "detail · Enter partners · Esc list"
    keys Escape
    wait_gone "detail · Enter partners"
    pass "Esc goes back one level at a time"
else
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

    # Esc goes back the way it came, one level at a time (as k9s does): to the partners the
    # narrowing came from, the partner still selected; then the solution's detail; then the list,
    # on the tab it was on, every solution shown.
    keys Escape
    wait_for "Partners of Lucky Shrub Garden Alerts (440100000000015)"
    wait_match "^> Social Overdrive +$APP_B"
    screen_lacks "narrow:" || fail "Esc left the narrowing's chip"
    pass "Esc on a partner's solutions goes back to the partners, that partner selected"
    keys Escape
    wait_for "detail · Enter partners · Esc list"
    screen_matches "^> Lucky Shrub Garden Ale" || fail "the solution is not selected on the way back"
    keys Escape
    wait_gone "detail · Enter partners"
    wait_for "All 42"
    tui_screen | tail -n 1 | grep -q "$pos" || fail "the list is not where it was: $(tui_screen | tail -n 1)"
    pass "Esc shows every solution again, the selection where it was"

    # A narrowing typed by hand after it has no way back to the partners: Esc just clears it.
    keys Enter Enter
    wait_for "Enter its solutions"
    keys Enter
    wait_for "narrow: $APP_B"
    keys '&'
    wait_for "narrow: $APP_B"
    keys BSpace Enter # one digit less: another narrowing
    wait_until "the narrowing to change" screen_lacks "narrow: $APP_B "
    keys Escape
    wait_for "All 42"
    screen_lacks "Partners of" || fail "a narrowing typed by hand went back to the partners"
    screen_lacks "narrow:" || fail "Esc did not clear a narrowing typed by hand"
    pass "a narrowing typed by hand is cleared by Esc, with no way back to the partners"
fi

# Beside the list (wide terminals) the focused pane says so on its first line.
tui_resize 200 30
keys Enter
wait_match "│ detail · Enter partners · Esc list"
keys Escape
wait_gone "detail · Enter partners"
pass "the focus shows on the pane beside the list"

keys q
tui_expect_clean_exit
